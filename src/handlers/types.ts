import type { JobQueue } from "../queue/types.js";

/** What a webhook handler may use: it validates, picks fields and enqueues (DESIGN decision 4). */
export interface HandlerDeps {
  queue: JobQueue;
  /** The App's slug (its bot is `<slug>[bot]`), so its own comments are never taken as commands. */
  appSlug(): Promise<string>;
  /** Checks a promotion pull request's signed metadata block without asking GitHub (see recognisePromotionPullRequest). */
  metadataKey: string;
}
