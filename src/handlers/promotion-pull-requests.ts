import type { Context } from "probot";
import { parsePromotionBranch } from "../pipeline/promotion-branch.js";
import type { HandlerDeps } from "./types.js";

/**
 * pull_request.closed on a promotion branch ends the wait of its git-wait-for-pr step: queue the
 * promotion's continuation (merged → it goes on; closed unmerged → the step fails it).
 */
export function onPromotionPullRequestClosed(deps: HandlerDeps) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { payload } = context;
    const branch = parsePromotionBranch(payload.pull_request.head.ref);
    if (!payload.installation || !branch) return;
    await deps.queue.enqueue(
      "resume-promotion",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        promotionId: branch.promotionId,
        stage: branch.stage,
        pullNumber: payload.pull_request.number,
        headSha: payload.pull_request.head.sha,
      },
      { jobId: `${context.id}:resume-promotion` },
    );
  };
}

/**
 * A promotion pull request opened, moved, or reviewed: count its approvals again (the job writes
 * `stagecoach/approval` and merges under autoMerge). Other pull requests are not ours to judge.
 */
export function onPromotionPullRequestActivity(deps: HandlerDeps) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request_review.submitted" | "pull_request_review.dismissed">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation || !parsePromotionBranch(payload.pull_request.head.ref)) return;
    await deps.queue.enqueue(
      "evaluate-approval",
      { installationId: payload.installation.id, owner: payload.repository.owner.login, repo: payload.repository.name, pullNumber: payload.pull_request.number },
      { jobId: `${context.id}:evaluate-approval` },
    );
  };
}

/**
 * A workflow run completed, or a check run or commit status changed on some commit: a stage's
 * verification may be waiting for it. The job looks and does nothing when none is.
 */
export function onVerificationProgress(deps: HandlerDeps) {
  return async (context: Context<"workflow_run.completed" | "check_run.completed" | "status">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation) return;
    const at = { installationId: payload.installation.id, owner: payload.repository.owner.login, repo: payload.repository.name };
    let data: Record<string, unknown>;
    if ("workflow_run" in payload) data = { ...at, workflowRunId: payload.workflow_run.id, sha: payload.workflow_run.head_sha };
    else if ("check_run" in payload) {
      // Our own verify check runs finishing must not wake verification up again.
      if (payload.check_run.name.startsWith("stagecoach/")) return;
      data = { ...at, sha: payload.check_run.head_sha };
    } else {
      if (payload.context.startsWith("stagecoach/")) return;
      data = { ...at, sha: payload.sha };
    }
    await deps.queue.enqueue("continue-verification", data, { jobId: `${context.id}:continue-verification` });
  };
}

/**
 * Checks finished or a commit status changed on a promotion branch: with `autoMerge`, an approved
 * pull request that branch protection held back (a required check not green yet) may merge now.
 * The App's own statuses (`stagecoach/…`) are left out, or writing one would wake this again.
 */
export function onPromotionChecksSettled(deps: HandlerDeps) {
  return async (context: Context<"check_suite.completed" | "status">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation) return;
    const branches = "check_suite" in payload ? [payload.check_suite.head_branch ?? ""] : payload.context.startsWith("stagecoach/") ? [] : payload.branches.map((b) => b.name);
    for (const headRef of branches.filter((ref) => parsePromotionBranch(ref))) {
      await deps.queue.enqueue(
        "evaluate-approval",
        { installationId: payload.installation.id, owner: payload.repository.owner.login, repo: payload.repository.name, headRef },
        { jobId: `${context.id}:evaluate-approval:${headRef}` },
      );
    }
  };
}
