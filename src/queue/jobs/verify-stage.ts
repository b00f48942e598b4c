import type { Logger } from "../../log.js";
import { postComment } from "../../github/comments.js";
import { listFreight } from "../../github/freight-records.js";
import type { InstallationOctokit } from "../../github/installations.js";
import {
  dispatchVerificationWorkflow,
  finishVerifyCheckRuns,
  readRequiredChecks,
  readWorkflowRun,
  setDeploymentStatus,
  startVerifyCheckRuns,
} from "../../github/verification.js";
import { isAutoPromotionEnabled } from "../../pipeline/is-auto-promotion-enabled.js";
import { judgeVerification, type VerificationJudgement } from "../../pipeline/judge-verification.js";
import type { FreightReference } from "../../promotion/expressions/index.js";
import type { JobHandler } from "../types.js";
import { loadRunningConfig, type PromoteDeps } from "./promote.js";

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

/** A verification waiting for a workflow run or checks; the webhook that may end it looks it up here. */
export interface PendingVerification extends VerifyStageData {
  checkRunIds: number[];
  workflow?: { file: string; runId: number };
  checks: string[];
}

export interface VerificationResult {
  promotionId: string;
  stage: string;
  freight: string;
  outcome: "passed" | "failed";
  lines: string[];
}

export interface VerifyStageDeps extends Pick<PromoteDeps, "octokitFor"> {
  verifications: Map<string, PendingVerification>;
  /** How each promotion's verification ended, by promotion ID: what makes freight available downstream. */
  verified: Map<string, "passed" | "failed">;
  enqueue(name: string, data: Record<string, unknown>, options?: { jobId?: string }): Promise<unknown>;
  onVerified?(result: VerificationResult): void;
}

/**
 * After a promotion lands: the `stagecoach/verify <stage>` check run opens on the promoted commit
 * and on the freight's record, the stage's verification workflow is dispatched, and the named
 * checks are read. Whatever is not finished yet is left pending for `continue-verification`.
 */
export function verifyStage(deps: VerifyStageDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as VerifyStageData;
    const repo = { owner: input.owner, repo: input.repo };
    const octokit = await deps.octokitFor(input.installationId);
    const project = await loadRunningConfig(octokit, input.owner, input.repo);
    const stage = project.stages.find((s) => s.name === input.stage);
    if (!stage) return;
    const verify = stage.spec.github.verify;
    const record = (await listFreight(octokit, repo, project.name)).find((f) => f.name === input.freight.name);
    const label = input.freight.alias ?? input.freight.name.slice(0, 12);
    const checkRunIds = await startVerifyCheckRuns(octokit, repo, stage.name, [input.sha, ...(record?.commit ? [record.commit] : [])], `Verifying **${label}** in ${stage.name} (commit ${input.sha.slice(0, 7)}).`);
    const pending: PendingVerification = { ...input, checkRunIds, checks: verify?.checks ?? [] };
    if (verify?.workflow) {
      const ref = verify.ref ?? (await octokit.rest.repos.get(repo)).data.default_branch;
      const runId = await dispatchVerificationWorkflow(octokit, repo, verify.workflow, ref, { stage: stage.name, freight: input.freight.name, commit: input.sha });
      pending.workflow = { file: verify.workflow, runId };
      log.info({ promotion: input.promotionId, workflow: verify.workflow, run: runId }, `dispatched ${verify.workflow} to verify ${stage.name}`);
    }
    deps.verifications.set(input.promotionId, pending);
    await judge(deps, octokit, pending, log);
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

/** A workflow run completed or a check/status changed: judge the verifications it may end. */
export function continueVerification(deps: VerifyStageDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as ContinueVerificationData;
    const waiting = [...deps.verifications.values()].filter(
      (v) => v.owner === input.owner && v.repo === input.repo && ((input.workflowRunId !== undefined && v.workflow?.runId === input.workflowRunId) || (input.sha !== undefined && v.sha === input.sha && v.checks.length > 0)),
    );
    if (waiting.length === 0) return;
    const octokit = await deps.octokitFor(input.installationId);
    for (const pending of waiting) await judge(deps, octokit, pending, log);
  };
}

async function judge(deps: VerifyStageDeps, octokit: InstallationOctokit, pending: PendingVerification, log: Logger): Promise<void> {
  const repo = { owner: pending.owner, repo: pending.repo };
  const run = pending.workflow ? await readWorkflowRun(octokit, repo, pending.workflow.runId) : undefined;
  const judgement = judgeVerification(pending.workflow && run ? { workflow: pending.workflow.file, ...run } : undefined, await readRequiredChecks(octokit, repo, pending.sha, pending.checks));
  if (judgement.outcome === "pending") return;
  // Another event may be judging it too: only the one that takes it out of the table concludes.
  if (deps.verifications.get(pending.promotionId) !== pending) return;
  deps.verifications.delete(pending.promotionId);
  await conclude(deps, octokit, pending, judgement, log);
}

async function conclude(deps: VerifyStageDeps, octokit: InstallationOctokit, pending: PendingVerification, judgement: VerificationJudgement, log: Logger): Promise<void> {
  const repo = { owner: pending.owner, repo: pending.repo };
  const label = pending.freight.alias ?? pending.freight.name.slice(0, 12);
  const passed = judgement.outcome === "passed";
  const title = passed ? `${label} is verified in ${pending.stage}` : `${label} failed verification in ${pending.stage}`;
  const summary = judgement.lines.join("\n");
  await finishVerifyCheckRuns(octokit, repo, pending.checkRunIds, passed, title, summary);
  if (pending.deploymentId) await setDeploymentStatus(octokit, repo, pending.deploymentId, passed ? "success" : "failure", title);
  if (!passed && pending.pullRequest) {
    await postComment(octokit, { ...repo, issueNumber: pending.pullRequest }, `**${title}**, so it does not move on from ${pending.stage}.\n\n${summary}\n\nFix what failed and comment \`/reverify ${pending.stage}\`, or promote other freight.`);
  }
  deps.verified.set(pending.promotionId, passed ? "passed" : "failed");
  log.info({ promotion: pending.promotionId, outcome: judgement.outcome }, title);
  deps.onVerified?.({ promotionId: pending.promotionId, stage: pending.stage, freight: pending.freight.name, outcome: passed ? "passed" : "failed", lines: judgement.lines });
  if (passed) await promoteDownstream(deps, octokit, pending);
}

/** Verified freight is available to the stages that take it from this one; those with auto-promotion get it now. */
async function promoteDownstream(deps: VerifyStageDeps, octokit: InstallationOctokit, pending: PendingVerification): Promise<void> {
  const project = await loadRunningConfig(octokit, pending.owner, pending.repo);
  for (const stage of project.stages) {
    const takesFromHere = stage.spec.requestedFreight.some((r) => r.origin.name === pending.freight.origin?.name && (r.sources.stages ?? []).includes(pending.stage));
    if (!takesFromHere || !isAutoPromotionEnabled(project, stage.name)) continue;
    await deps.enqueue(
      "promote",
      { installationId: pending.installationId, owner: pending.owner, repo: pending.repo, stage: stage.name, freight: pending.freight },
      { jobId: `promote:${pending.owner}/${pending.repo}:${stage.name}:${pending.freight.name}` },
    );
  }
}
