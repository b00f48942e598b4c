import type { Context } from "probot";
import { parsePromotionBranch } from "../promotion/promotion-branch.js";
import { recognisePromotionPullRequest, type PullRequestFacts } from "../records/recognise-promotion-pull-request.js";
import type { JobInput } from "../jobs/job-table.js";
import type { HandlerDeps } from "./types.js";

/** The promotion a pull request in a delivery carries, judged from the payload alone (the job checks again, with the App's bot login). */
function promotionIn(deps: HandlerDeps, repository: { full_name: string }, pull: PullRequestFacts) {
  const recognised = recognisePromotionPullRequest(pull, { metadataKey: deps.metadataKey, repository: repository.full_name });
  return recognised.ok ? recognised.metadata : undefined;
}

/**
 * pull_request.closed on one of the App's promotion pull requests ends the wait of its
 * git-wait-for-pr step: queue the promotion's continuation (merged → it goes on; closed unmerged
 * → it ends Aborted).
 */
export function onPromotionPullRequestClosed(deps: HandlerDeps) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { payload } = context;
    const promotion = promotionIn(deps, payload.repository, payload.pull_request);
    if (!payload.installation || !promotion) return;
    await deps.enqueue(
      "resume-promotion",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        promotionId: promotion.promotion,
        stage: promotion.stage,
        pullNumber: payload.pull_request.number,
      },
      { jobId: `${context.id}:resume-promotion` },
    );
  };
}

/**
 * One of the App's promotion pull requests opened, moved, or reviewed: count its approvals again
 * (the job writes `stagecoach/approval` and merges under autoMerge). Other pull requests, whatever
 * their branch is called, are not ours to judge.
 */
export function onPromotionPullRequestActivity(deps: HandlerDeps) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request_review.submitted" | "pull_request_review.dismissed">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation || !promotionIn(deps, payload.repository, payload.pull_request)) return;
    await deps.enqueue(
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
    let data: JobInput<"continue-verification">;
    if ("workflow_run" in payload) data = { ...at, workflowRunId: payload.workflow_run.id, sha: payload.workflow_run.head_sha };
    else if ("check_run" in payload) {
      // Our own verify check runs finishing must not wake verification up again.
      if (payload.check_run.name.startsWith("stagecoach/")) return;
      data = { ...at, sha: payload.check_run.head_sha };
    } else {
      if (payload.context.startsWith("stagecoach/")) return;
      data = { ...at, sha: payload.sha };
    }
    await deps.enqueue("continue-verification", data, { jobId: `${context.id}:continue-verification` });
  };
}

/**
 * Checks finished or a commit status changed on a promotion branch: with `autoMerge`, an approved
 * pull request that branch protection held back (a required check not green yet) may merge now.
 * The App's own statuses (`stagecoach/…`) are left out, or writing one would wake this again. The
 * branch name only narrows what is worth a look: the job judges the pull request it finds there.
 */
export function onPromotionChecksSettled(deps: HandlerDeps) {
  return async (context: Context<"check_suite.completed" | "status">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation) return;
    const branches = "check_suite" in payload ? [payload.check_suite.head_branch ?? ""] : payload.context.startsWith("stagecoach/") ? [] : payload.branches.map((b) => b.name);
    for (const headRef of branches.filter((ref) => parsePromotionBranch(ref))) {
      await deps.enqueue(
        "evaluate-approval",
        { installationId: payload.installation.id, owner: payload.repository.owner.login, repo: payload.repository.name, headRef },
        { jobId: `${context.id}:evaluate-approval:${headRef}` },
      );
    }
  };
}
