import type { FreightReference } from "../../freight/freight-reference.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";

/** Who, what and where of one promotion: kept beside its state, and in its checkpoint on GitHub. */
export interface PromotionContext {
  promotionId: string;
  installationId: number;
  owner: string;
  repo: string;
  project: string;
  stage: string;
  freight: FreightReference;
  actor?: string;
  rollback?: boolean;
  /** An auto-promotion hold the stage's deployment will carry (a rollback, older freight picked by hand). */
  hold?: { since: string; reason: string };
  /** The config commit the steps come from, so a resumed promotion runs the steps it started with. */
  configSha: string;
  /** The job that asked for it: a retry of that job continues it, any other request is a new promotion. */
  requestKey: string;
  /** Set once its checkpoint is on the pull request. */
  checkpointed?: boolean;
  /**
   * Where the person who asked was told "its pull request follows" (an issue or pull request):
   * if it ends without one, or has to wait on GitHub, they are told there why.
   */
  replyTo?: { issueNumber: number };
  /** When the person was last told the promotion waits on GitHub (once per wait is enough). */
  waitNoticeAt?: string;
}

const CONTEXT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A promotion within its repository: IDs are project/stage/freight, and two repositories may share a project name. */
export const promotionKey = (owner: string, repo: string, promotionId: string) => `${owner}/${repo}`.toLowerCase() + `:${promotionId}`;
const contextKey = (owner: string, repo: string, promotionId: string) => `promotion-context:${promotionKey(owner, repo, promotionId)}`;
export const stageLockKey = (owner: string, repo: string, stage: string) => `stage:${owner}/${repo}/${stage}`.toLowerCase();

export async function readPromotionContext(store: KeyValueStore, repo: { owner: string; repo: string }, promotionId: string): Promise<PromotionContext | undefined> {
  const text = await store.get(contextKey(repo.owner, repo.repo, promotionId));
  return text === undefined ? undefined : (JSON.parse(text) as PromotionContext);
}

export async function savePromotionContext(store: KeyValueStore, context: PromotionContext): Promise<void> {
  await store.set(contextKey(context.owner, context.repo, context.promotionId), JSON.stringify(context), CONTEXT_TTL_MS);
}


