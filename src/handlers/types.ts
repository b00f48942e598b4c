import type { Enqueue } from "../jobs/job-table.js";

/**
 * What a webhook handler may use: it validates, picks fields and enqueues (DESIGN decision 4).
 * Nothing here calls GitHub, so a handler answers in milliseconds however slow GitHub is.
 */
export interface HandlerDeps {
  enqueue: Enqueue;
  /** Checks a promotion pull request's signed metadata block without asking GitHub (see recognisePromotionPullRequest). */
  metadataKey: string;
}
