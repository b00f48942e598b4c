import type { GitSubscription } from "../../config/model/warehouse.js";
import { compileSemverConstraint, compileTagFilters, selectLexicalTags, selectNewestBuilds, selectSemverTags } from "../selection/index.js";
import type { GitSource } from "./git-source.js";

/** Orders a repository's tags by the subscription's strategy, best first, every candidate kept. */
export type TagRanking = (tags: readonly string[], source: Pick<GitSource, "tagDates">) => Promise<string[]>;

const ALL = Number.MAX_SAFE_INTEGER;

/**
 * The tag strategies (SemVer, Lexical, NewestTag) with the allow/ignore regexes. Regexes and the
 * constraint are compiled here, before any network call, so a config mistake is reported as one.
 */
export function compileTagRanking(subscription: GitSubscription, field: string): TagRanking {
  const filters = {
    ...(subscription.allowTagsRegexes ? { allowTagsRegexes: subscription.allowTagsRegexes } : {}),
    ...(subscription.ignoreTagsRegexes ? { ignoreTagsRegexes: subscription.ignoreTagsRegexes } : {}),
  };
  const allowed = compileTagFilters(filters, field);
  switch (subscription.commitSelectionStrategy) {
    case "SemVer": {
      const constraint = subscription.semverConstraint;
      if (constraint) compileSemverConstraint(constraint, `${field}.semverConstraint`);
      return async (tags) => selectSemverTags(tags, { ...filters, ...(constraint ? { constraint } : {}), strictSemvers: subscription.strictSemvers, discoveryLimit: ALL }, field);
    }
    case "Lexical":
      return async (tags) => selectLexicalTags(tags, { ...filters, discoveryLimit: ALL }, field);
    default:
      // NewestTag: by creation date, which only the repository can tell.
      return async (tags, source) => {
        const candidates = tags.filter(allowed);
        const dates = await source.tagDates(candidates);
        const dated = candidates.flatMap((tag) => {
          const createdAt = dates.get(tag);
          return createdAt ? [{ tag, createdAt }] : [];
        });
        return selectNewestBuilds(dated, ALL).map((d) => d.tag);
      };
  }
}
