import type { JobQueue } from "../queue/types.js";

/** What a webhook handler may use: it validates, picks fields and enqueues (DESIGN decision 4). */
export interface HandlerDeps {
  queue: JobQueue;
}
