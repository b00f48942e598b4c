import type { Context } from "probot";
import type { HandlerDeps } from "./types.js";

const PROMOTION_BRANCH_PREFIX = "stagecoach/promotion/";

/**
 * pull_request.closed on a promotion branch ends the wait of its git-wait-for-pr step: queue the
 * promotion's continuation (merged → it goes on; closed unmerged → the step fails it).
 */
export function onPromotionPullRequestClosed(deps: HandlerDeps) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { payload } = context;
    const branch = payload.pull_request.head.ref;
    if (!payload.installation || !branch.startsWith(PROMOTION_BRANCH_PREFIX)) return;
    await deps.queue.enqueue(
      "resume-promotion",
      { installationId: payload.installation.id, promotionId: branch.slice(PROMOTION_BRANCH_PREFIX.length) },
      { jobId: `${context.id}:resume-promotion` },
    );
  };
}
