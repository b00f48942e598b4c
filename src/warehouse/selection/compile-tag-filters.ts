import { DiscoveryError } from "../types.js";

export interface TagFilterOptions {
  allowTagsRegexes?: string[];
  ignoreTagsRegexes?: string[];
}

/** Registry tags are at most 128 characters; anything longer is not a tag and is not matched. */
const MAX_TAG_LENGTH = 128;

/**
 * A predicate for Kargo's allow/ignore tag rules: an ignored tag never matches; with allow
 * regexes, a tag must match at least one of them. A regex that does not compile is reported
 * with the field that holds it.
 */
export function compileTagFilters(options: TagFilterOptions, fieldPrefix: string): (tag: string) => boolean {
  const allow = compileAll(options.allowTagsRegexes ?? [], `${fieldPrefix}.allowTagsRegexes`);
  const ignore = compileAll(options.ignoreTagsRegexes ?? [], `${fieldPrefix}.ignoreTagsRegexes`);
  return (tag) => {
    if (tag.length > MAX_TAG_LENGTH) return false;
    if (ignore.some((regex) => regex.test(tag))) return false;
    return allow.length === 0 || allow.some((regex) => regex.test(tag));
  };
}

function compileAll(sources: string[], field: string): RegExp[] {
  return sources.map((source, index) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new DiscoveryError(`${field}[${index}]: "${source}" is not a regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`, false);
    }
  });
}
