import type { Logger } from "../../log.js";
import { postComment } from "../../github/comments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { finishVerifyCheckRuns, readRequiredChecks, readWorkflowRun, reportVerificationProgress, setDeploymentStatus } from "../../github/verification.js";
import type { PendingVerification } from "../../records/verification-record.js";
import { judgeVerification, type VerificationJudgement } from "../../pipeline/judge-verification.js";
import type { NetworkPolicy } from "../../network/types.js";
import { probeHttp } from "../../verification/probe-http.js";
import type { PromoteDeps } from "../promotion/carry-out-promotion.js";
import { promotionKey } from "../promotion/promotion-context.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";


export interface VerificationResult {
  promotionId: string;
  stage: string;
  freight: string;
  outcome: "passed" | "failed";
  lines: string[];
}

export interface VerifyStageDeps extends Pick<PromoteDeps, "octokitFor" | "enqueue" | "store" | "clock" | "appId"> {
  /** Non-public hosts the HTTP probes may reach (the App's settings, never the GitOps repository). */
  network?: NetworkPolicy;
  /** How often a verification that waits on probes looks again (STAGECOACH_POLL_MS). */
  pollMs?: number;
  onVerified?(result: VerificationResult): void;
}

export const DEFAULT_POLL_MS = 15_000;
const WEBHOOK_FALLBACK_POLL_MS = 5 * 60_000;
export const DEFAULT_TIMEOUT_MS = 60 * 60_000;
export const verificationLockKey = (repo: { owner: string; repo: string }, promotionId: string, sha: string) => `verification:${promotionKey(repo.owner, repo.repo, promotionId)}:${sha}`;
export const runIndexKey = (owner: string, repo: string, runId: number) => `verify-run:${owner}/${repo}/${runId}`.toLowerCase();

/** Judges a verification whose lock the caller holds; `shown` is what its check run says now (undefined: nothing yet). */
export async function judge(deps: VerifyStageDeps, octokit: InstallationOctokit, installationId: number, repo: { owner: string; repo: string }, pending: PendingVerification, shown: string[] | undefined, log: Logger): Promise<void> {
  const run = pending.workflow ? await readWorkflowRun(octokit, repo, pending.workflow.runId) : undefined;
  const checks = await readRequiredChecks(octokit, repo, pending.sha, pending.checks);
  const probes = await Promise.all(pending.http.map((probe) => probeHttp(probe, deps.network ?? {})));
  const judgement = judgeVerification(pending.workflow && run ? { workflow: pending.workflow.file, ...run } : undefined, checks, probes, {
    now: deps.clock.now(),
    ...(pending.soakUntil ? { soakUntil: new Date(pending.soakUntil) } : {}),
    timeoutAt: new Date(pending.timeoutAt),
  });
  if (judgement.outcome !== "pending") return conclude(deps, octokit, installationId, repo, pending, judgement, log);
  // The record is written whenever it changed, so the next judge (on any replica) reads it whole.
  if (shown === undefined || judgement.lines.join("\n") !== shown.join("\n")) await reportVerificationProgress(octokit, repo, pending, `Verifying ${pending.stage}`, judgement.lines);
  await schedulePoll(deps, installationId, repo, pending);
}

/**
 * The next look: often while probes are asked, rarely while only webhooks can end it (a lost
 * delivery is the only reason to look), and exactly when the soak or the timeout ends. Polls land
 * on a grid so that however many events judge a verification, one poll per slot is queued.
 */
async function schedulePoll(deps: VerifyStageDeps, installationId: number, repo: { owner: string; repo: string }, pending: PendingVerification): Promise<void> {
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const every = pending.http.length > 0 ? pollMs : Math.max(pollMs, WEBHOOK_FALLBACK_POLL_MS);
  const now = deps.clock.now().getTime();
  let slot = String(Math.floor(now / every) + 1);
  let at = (Math.floor(now / every) + 1) * every;
  for (const [name, time] of [["soak", pending.soakUntil], ["timeout", pending.timeoutAt]] as const) {
    const end = time ? Date.parse(time) : Number.NaN;
    if (end > now && end < at) {
      at = end + 50;
      slot = name;
    }
  }
  await deps.enqueue("continue-verification", { installationId, ...repo, sha: pending.sha }, { delayMs: at - now, jobId: `verify-poll:${promotionKey(repo.owner, repo.repo, pending.promotionId)}:${pending.sha}:${slot}` });
}

async function conclude(deps: VerifyStageDeps, octokit: InstallationOctokit, installationId: number, repo: { owner: string; repo: string }, pending: PendingVerification, judgement: VerificationJudgement, log: Logger): Promise<void> {
  const label = pending.freight.alias ?? pending.freight.name.slice(0, 12);
  const passed = judgement.outcome === "passed";
  const title = passed ? `${label} is verified in ${pending.stage}` : `${label} failed verification in ${pending.stage}`;
  const summary = judgement.lines.join("\n");
  await finishVerifyCheckRuns(octokit, repo, pending.checkRunIds, passed, title, summary);
  if (pending.deploymentId) await setDeploymentStatus(octokit, repo, pending.deploymentId, passed ? "success" : "failure", title);
  if (!passed && pending.pullRequest) {
    await postComment(octokit, { ...repo, issueNumber: pending.pullRequest }, `**${title}**, so it does not move on from ${pending.stage}.\n\n${summary}\n\nFix what failed and comment \`/reverify ${pending.stage}\`, or promote other freight.`);
  }
  log.info({ promotion: pending.promotionId, outcome: judgement.outcome }, title);
  deps.onVerified?.({ promotionId: pending.promotionId, stage: pending.stage, freight: pending.freight.name, outcome: passed ? "passed" : "failed", lines: judgement.lines });
  await requestDashboardRefresh(deps, { installationId, ...repo });
  if (passed) await offerDownstream(deps, octokit, installationId, repo, pending);
}

/** Verified freight is available to the stages that take it from this one: each looks whether to auto-promote it. */
async function offerDownstream(deps: VerifyStageDeps, octokit: InstallationOctokit, installationId: number, repo: { owner: string; repo: string }, pending: PendingVerification): Promise<void> {
  const project = await loadRunningConfig(octokit, repo.owner, repo.repo, deps.store);
  for (const stage of project.stages) {
    const takesFromHere = stage.spec.requestedFreight.some((r) => r.origin.name === pending.freight.origin.name && (r.sources.stages ?? []).includes(pending.stage));
    if (!takesFromHere) continue;
    await deps.enqueue(
      "consider-auto-promotion",
      { installationId, ...repo, stage: stage.name, reason: `${pending.freight.alias ?? pending.freight.name.slice(0, 12)} was verified in ${pending.stage}` },
      { jobId: `after-verify:${promotionKey(repo.owner, repo.repo, pending.promotionId)}:${pending.sha}:${stage.name}` },
    );
  }
}
