import type { Logger } from "../../log.js";
import { postComment } from "../../github/comments.js";
import { listFreight } from "../../github/freight-records.js";
import type { InstallationOctokit } from "../../github/installations.js";
import {
  dispatchVerificationWorkflow,
  findPendingVerifications,
  finishVerifyCheckRuns,
  readOpenVerification,
  readRequiredChecks,
  readWorkflowRun,
  reportVerificationProgress,
  setDeploymentStatus,
  startVerification,
  type PendingVerification,
} from "../../github/verification.js";
import { judgeVerification, type VerificationJudgement } from "../../pipeline/judge-verification.js";
import type { FreightReference } from "../../promotion/expressions/index.js";
import type { NetworkPolicy } from "../../network/types.js";
import { parseDuration } from "../../promotion/parse-duration.js";
import { probeHttp } from "../../verification/probe-http.js";
import type { JobHandler } from "../../queue/types.js";
import { withLock } from "../../queue/with-lock.js";
import { promotionKey, type PromoteDeps } from "../promotion/carry-out-promotion.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";

export interface VerifyStageData {
  installationId: number;
  owner: string;
  repo: string;
  stage: string;
  promotionId: string;
  freight: FreightReference;
  /** The commit the promotion landed. */
  sha: string;
  deploymentId?: number;
  pullRequest?: number;
  [key: string]: unknown;
}

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

const DEFAULT_POLL_MS = 15_000;
const WEBHOOK_FALLBACK_POLL_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 60 * 60_000;
const verificationLockKey = (repo: { owner: string; repo: string }, promotionId: string, sha: string) => `verification:${promotionKey(repo.owner, repo.repo, promotionId)}:${sha}`;
const runIndexKey = (owner: string, repo: string, runId: number) => `verify-run:${owner}/${repo}/${runId}`.toLowerCase();

/**
 * After a promotion lands: the `stagecoach/verify <stage>` check runs open on the promoted commit
 * and on the freight's record, the stage's verification workflow is dispatched, and the named
 * checks and probes are read. What is not finished yet is judged again by `continue-verification`
 * when a workflow run, check or status moves, and by a poll (probes, soak, a lost webhook).
 */
export function verifyStage(deps: VerifyStageDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as VerifyStageData;
    const repo = { owner: input.owner, repo: input.repo };
    const octokit = await deps.octokitFor(input.installationId);
    const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
    const stage = project.stages.find((s) => s.name === input.stage);
    if (!stage) return;
    const verify = stage.spec.github.verify;
    const record = (await listFreight(octokit, repo, project.name)).find((f) => f.name === input.freight.name);
    const label = input.freight.alias ?? input.freight.name.slice(0, 12);
    const now = deps.clock.now();
    const soakMs = verify?.soak ? parseDuration(verify.soak, `stage ${stage.name}: github.verify.soak`) : 0;
    const timeoutMs = verify?.timeout ? parseDuration(verify.timeout, `stage ${stage.name}: github.verify.timeout`) : soakMs + DEFAULT_TIMEOUT_MS;
    const lockKey = verificationLockKey(repo, input.promotionId, input.sha);
    // Held until the record names the workflow run: an early workflow_run event waits, then reads it.
    await withLock(deps.store, lockKey, async () => {
      let pending = await startVerification(
        octokit,
        repo,
        {
          promotionId: input.promotionId,
          stage: stage.name,
          freight: input.freight,
          sha: input.sha,
          ...(input.deploymentId ? { deploymentId: input.deploymentId } : {}),
          ...(input.pullRequest ? { pullRequest: input.pullRequest } : {}),
          checks: verify?.checks ?? [],
          http: (verify?.http ?? []).map((p) => ({ url: p.url, method: p.method, expectStatus: p.expectStatus, ...(p.bodyContains ? { bodyContains: p.bodyContains } : {}), timeoutMs: parseDuration(p.timeout, "timeout") })),
          startedAt: now.toISOString(),
          ...(soakMs > 0 ? { soakUntil: new Date(now.getTime() + soakMs).toISOString() } : {}),
          timeoutAt: new Date(now.getTime() + timeoutMs).toISOString(),
        },
        record?.commit,
        `Verifying **${label}** in ${stage.name} (commit ${input.sha.slice(0, 7)}).`,
      );
      if (verify?.workflow) {
        const runId = await dispatchVerificationWorkflow(octokit, repo, verify.workflow, verify.ref, { stage: stage.name, freight: input.freight.name, commit: input.sha });
        pending = { ...pending, workflow: { file: verify.workflow, runId } };
        // The run's own head is the branch it ran on, not the promoted commit: this finds the verification from the run.
        await deps.store.set(runIndexKey(input.owner, input.repo, runId), input.sha, timeoutMs + DEFAULT_TIMEOUT_MS);
        log.info({ promotion: input.promotionId, workflow: verify.workflow, run: runId }, `dispatched ${verify.workflow} to verify ${stage.name}`);
      }
      await judge(deps, octokit, input.installationId, repo, pending, undefined, log);
    });
  };
}

export interface ContinueVerificationData {
  installationId: number;
  owner: string;
  repo: string;
  /** A workflow run that completed, or a commit whose checks moved. */
  workflowRunId?: number;
  sha?: string;
  [key: string]: unknown;
}

/** A workflow run completed, a check/status changed, or a poll is due: judge the verifications it may end. */
export function continueVerification(deps: VerifyStageDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as ContinueVerificationData;
    const repo = { owner: input.owner, repo: input.repo };
    const shas = new Set<string>();
    if (input.sha) shas.add(input.sha);
    if (input.workflowRunId !== undefined) {
      const indexed = await deps.store.get(runIndexKey(input.owner, input.repo, input.workflowRunId));
      if (indexed) shas.add(indexed);
    }
    if (shas.size === 0) return;
    const octokit = await deps.octokitFor(input.installationId);
    for (const sha of shas) {
      for (const { pending } of await findPendingVerifications(octokit, repo, sha, deps.appId)) {
        // Several events may arrive at once for one verification: one judge at a time, each on the record as it is now.
        await withLock(deps.store, verificationLockKey(repo, pending.promotionId, pending.sha), async () => {
          const current = await readOpenVerification(octokit, repo, pending.checkRunIds[0]!);
          if (current) await judge(deps, octokit, input.installationId, repo, current.pending, current.lines, log);
        });
      }
    }
  };
}

/** Judges a verification whose lock the caller holds; `shown` is what its check run says now (undefined: nothing yet). */
async function judge(deps: VerifyStageDeps, octokit: InstallationOctokit, installationId: number, repo: { owner: string; repo: string }, pending: PendingVerification, shown: string[] | undefined, log: Logger): Promise<void> {
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
