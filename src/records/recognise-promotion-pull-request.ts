import { parseMetadata, type PromotionMetadata } from "./promotion-metadata.js";

/** The fields of a pull request (REST or webhook shape) that decide whether it is one of the App's promotions. */
export interface PullRequestFacts {
  number: number;
  body: string | null | undefined;
  user: { login: string; type?: string } | null;
  head: { ref: string; repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}

export interface PromotionTrust {
  /** The key the App signs metadata with (deriveMetadataKey). */
  metadataKey: string;
  /** `owner/repo` of the repository the event or job is about. */
  repository: string;
  /**
   * The App's bot login (`<slug>[bot]`). Without it only the type of the author is checked: a
   * webhook handler cannot ask GitHub who the App is; the job that acts checks the login.
   */
  botLogin?: string;
}

export type Recognised = { ok: true; metadata: PromotionMetadata } | { ok: false; reason: string };

/**
 * A promotion pull request is one the App opened, from a branch of the same repository, carrying
 * a metadata block the App signed for this repository and this head branch. Anything else — a
 * person's pull request from a branch named like a promotion, a fork, a copied or edited block —
 * is not a promotion: approval, merge, resume and recovery ignore it.
 */
export function recognisePromotionPullRequest(pull: PullRequestFacts, trust: PromotionTrust): Recognised {
  const repository = trust.repository.toLowerCase();
  if (pull.base.repo.full_name.toLowerCase() !== repository || pull.head.repo?.full_name.toLowerCase() !== repository) {
    return { ok: false, reason: `#${pull.number} comes from another repository (${pull.head.repo?.full_name ?? "a deleted fork"})` };
  }
  if (pull.user?.type !== "Bot" || (trust.botLogin !== undefined && pull.user.login !== trust.botLogin)) {
    return { ok: false, reason: `#${pull.number} was opened by ${pull.user?.login ?? "a deleted account"}, not by the App` };
  }
  const parsed = parseMetadata(pull.body, trust.metadataKey);
  if (!parsed.ok) return { ok: false, reason: `#${pull.number}: ${parsed.message}` };
  const { metadata } = parsed;
  if (metadata.repository.toLowerCase() !== repository || metadata.branch !== pull.head.ref) {
    return { ok: false, reason: `#${pull.number} carries the metadata of a promotion opened elsewhere (${metadata.repository}, branch ${metadata.branch})` };
  }
  return { ok: true, metadata };
}

/** What decides, in a job, whether a pull request is one of this App's promotions: its key, the repository, its bot. */
export async function promotionTrust(app: { metadataKey: string; appSlug(): Promise<string> }, owner: string, repo: string): Promise<PromotionTrust> {
  return { metadataKey: app.metadataKey, repository: `${owner}/${repo}`, botLogin: `${await app.appSlug()}[bot]` };
}
