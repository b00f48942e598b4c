import { authorize } from "../../commands/index.js";
import { findOpenPullRequest, listReviews, mergeApprovedPullRequest, readPromotionPullRequest, setApprovalStatus } from "../../github/approvals.js";
import { readPermission, teamsOf } from "../../github/comments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readPromotionCheckpoint } from "../../github/promotion-checkpoints.js";
import { countApprovals, type ApprovalCount } from "../../pipeline/count-approvals.js";
import type { PromotionState } from "../../promotion/index.js";
import { promotionTrust, recognisePromotionPullRequest } from "../../records/recognise-promotion-pull-request.js";
import { type PromoteDeps } from "../promotion/carry-out-promotion.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type EvaluateApprovalData = JobPayload<"evaluate-approval">;

export interface EvaluateApprovalDeps extends Pick<PromoteDeps, "octokitFor" | "store" | "promotions" | "metadataKey" | "appSlug" | "appId" | "checkpointKey"> {
  onApprovalEvaluated?(data: EvaluateApprovalData & { pullNumber: number }, count: ApprovalCount, merged: boolean): void;
}

/**
 * Approval by review: counts the approving reviews of a promotion pull request that come from
 * someone allowed (the stage's `github.approvers`, or anyone with write access), writes the
 * `stagecoach/approval` status on its head, and with `github.autoMerge` merges it once approved.
 * The merge then ends the promotion's wait as a person's merge would.
 *
 * Only the App's own promotions are judged (recognisePromotionPullRequest), and only at the head
 * the App pushed: a commit someone else added to the branch is never approved or merged through
 * the App's authority.
 */
export function evaluateApproval(deps: EvaluateApprovalDeps): JobHandlerOf<"evaluate-approval"> {
  return async (input, { log }) => {
    const repo = { owner: input.owner, repo: input.repo };
    const octokit = await deps.octokitFor(input.installationId);
    const number = input.pullNumber ?? (input.headRef ? await findOpenPullRequest(octokit, repo, input.headRef) : undefined);
    if (number === undefined) return;
    const pull = await readPromotionPullRequest(octokit, repo, number);
    if (pull.state !== "open") return;
    const recognised = recognisePromotionPullRequest(pull.facts, await promotionTrust(deps, input.owner, input.repo));
    if (!recognised.ok) {
      log.info({ pull: pull.number }, `not judging approvals: pull request ${recognised.reason}`);
      return;
    }
    const { metadata } = recognised;
    const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
    const stage = project.name === metadata.project ? project.stages.find((s) => s.name === metadata.stage) : undefined;
    if (!stage) {
      log.warn({ pull: pull.number, stage: metadata.stage }, `pull request #${pull.number} promotes to ${metadata.project}/${metadata.stage}, which the running config no longer has; leaving it alone`);
      return;
    }
    const pushed = await pushedHead(deps, octokit, repo, metadata.promotion, metadata.stage, pull.headRef, pull.headSha);
    if (pushed === "unknown") {
      log.info({ pull: pull.number }, `pull request #${pull.number}: the promotion has not recorded what it pushed yet; judged again when it has`);
      return;
    }
    if (pushed === "moved") {
      await setApprovalStatus(octokit, repo, pull.headSha, OUTSIDE_COMMITS, pull.htmlUrl);
      log.warn({ pull: pull.number, head: pull.headSha }, `pull request #${pull.number} has commits Stagecoach did not push; it is not approved or merged by the App`);
      deps.onApprovalEvaluated?.({ ...input, pullNumber: pull.number }, OUTSIDE_COMMITS, false);
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

/** What the approval status says when someone else's commits sit on a promotion branch. */
const OUTSIDE_COMMITS: ApprovalCount = {
  state: "blocked",
  commitState: "failure",
  approvedBy: [],
  blockedBy: [],
  required: 0,
  description: "This branch has commits Stagecoach did not push: close it and promote again",
};

/**
 * Whether the pull request's head is the commit the promotion pushed: from its state (this or
 * another replica ran it), else from the sealed checkpoint the App wrote on that head.
 */
async function pushedHead(deps: EvaluateApprovalDeps, octokit: InstallationOctokit, repo: { owner: string; repo: string }, promotionId: string, stage: string, headRef: string, headSha: string): Promise<"same" | "moved" | "unknown"> {
  const state = await deps.promotions(repo).get(promotionId);
  const commit = state ? pushedCommit(state, headRef) : undefined;
  if (commit) return commit === headSha ? "same" : "moved";
  const checkpoint = await readPromotionCheckpoint(octokit, repo, headSha, stage, deps.appId, deps.checkpointKey);
  if (checkpoint?.promotionId === promotionId) return "same";
  return "unknown";
}

const PUSH_STEPS: ReadonlySet<string> = new Set(["git-push", "github-push"]);

/** The commit the promotion's last successful push to `branch` made. */
function pushedCommit(state: PromotionState, branch: string): string | undefined {
  for (const step of [...state.steps].reverse()) {
    if (!PUSH_STEPS.has(step.uses) || step.phase !== "Succeeded" || step.outputs?.branch !== branch) continue;
    return typeof step.outputs.commit === "string" ? step.outputs.commit : undefined;
  }
  return undefined;
}
