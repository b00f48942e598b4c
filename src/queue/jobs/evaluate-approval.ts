import { authorize } from "../../commands/index.js";
import { findOpenPullRequest, listReviews, mergeApprovedPullRequest, readPromotionPullRequest, setApprovalStatus } from "../../github/approvals.js";
import { readPermission, teamsOf } from "../../github/comments.js";
import { countApprovals, type ApprovalCount } from "../../pipeline/count-approvals.js";
import { parsePromotionBranch } from "../../pipeline/promotion-branch.js";
import type { JobHandler } from "../types.js";
import type { PromoteDeps } from "./carry-out-promotion.js";
import { loadRunningConfig } from "./load-running-config.js";

export interface EvaluateApprovalData {
  installationId: number;
  owner: string;
  repo: string;
  /** The pull request, or its head branch (checks and statuses name the branch, not the pull request). */
  pullNumber?: number;
  headRef?: string;
  [key: string]: unknown;
}

export interface EvaluateApprovalDeps extends Pick<PromoteDeps, "octokitFor" | "store"> {
  onApprovalEvaluated?(data: EvaluateApprovalData & { pullNumber: number }, count: ApprovalCount, merged: boolean): void;
}

/**
 * Approval by review: counts the approving reviews of a promotion pull request that come from
 * someone allowed (the stage's `github.approvers`, or anyone with write access), writes the
 * `stagecoach/approval` status on its head, and with `github.autoMerge` merges it once approved.
 * The merge then ends the promotion's wait as a person's merge would.
 */
export function evaluateApproval(deps: EvaluateApprovalDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as EvaluateApprovalData;
    const repo = { owner: input.owner, repo: input.repo };
    const octokit = await deps.octokitFor(input.installationId);
    const number = input.pullNumber ?? (input.headRef ? await findOpenPullRequest(octokit, repo, input.headRef) : undefined);
    if (number === undefined) return;
    const pull = await readPromotionPullRequest(octokit, repo, number);
    const branch = parsePromotionBranch(pull.headRef);
    if (!branch || pull.state !== "open") return;
    const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
    const stage = project.stages.find((s) => s.name === branch.stage);
    if (!stage) {
      log.warn({ pull: pull.number, stage: branch.stage }, `pull request #${pull.number} promotes to stage "${branch.stage}", which the running config no longer has; leaving it alone`);
      return;
    }
    const { requiredApprovals, approvers, autoMerge, mergeMethod } = stage.spec.github;
    const reviews = await listReviews(octokit, repo, pull.number);
    const teams = approvers.filter((entry) => entry.includes("/"));
    const allowed: string[] = [];
    for (const login of new Set(reviews.flatMap((r) => (r.user ? [r.user.login] : [])))) {
      const actor = { login, permission: await readPermission(octokit, input.owner, input.repo, login), teams: teams.length ? await teamsOf(octokit, login, teams) : [] };
      const verdict = authorize({ name: "approve", freight: "", stage: stage.name }, actor, { name: stage.name, approvers });
      if (verdict.allowed) allowed.push(login);
    }
    const count = countApprovals(reviews, allowed, requiredApprovals, pull.author);
    await setApprovalStatus(octokit, repo, pull.headSha, count, pull.htmlUrl);
    let merged = false;
    if (autoMerge && count.state === "approved") {
      const outcome = await mergeApprovedPullRequest(octokit, repo, pull.number, pull.headSha, mergeMethod);
      merged = outcome.merged;
      if (outcome.merged) log.info({ pull: pull.number, sha: outcome.sha }, `merged approved promotion pull request #${pull.number} (autoMerge)`);
      else log.info({ pull: pull.number, reason: outcome.reason }, `approved promotion pull request #${pull.number} cannot be merged yet: ${outcome.reason}`);
    }
    log.info({ pull: pull.number, stage: stage.name, approval: count.state, approvedBy: count.approvedBy }, count.description);
    deps.onApprovalEvaluated?.({ ...input, pullNumber: pull.number }, count, merged);
  };
}
