import { listFreight } from "../../github/freight-records.js";
import { dispatchVerificationWorkflow, startVerification } from "../../github/verification.js";
import { parseDuration } from "../../promotion/parse-duration.js";
import { withLock } from "../../queue/with-lock.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";
import { DEFAULT_TIMEOUT_MS, judge, runIndexKey, verificationLockKey, type VerifyStageDeps } from "./judge-pending-verification.js";

export type VerifyStageData = JobPayload<"verify-stage">;

/**
 * After a promotion lands: the `stagecoach/verify <stage>` check runs open on the promoted commit
 * and on the freight's record, the stage's verification workflow is dispatched, and the named
 * checks and probes are read. What is not finished yet is judged again by `continue-verification`
 * when a workflow run, check or status moves, and by a poll (probes, soak, a lost webhook).
 */
export function verifyStage(deps: VerifyStageDeps): JobHandlerOf<"verify-stage"> {
  return async (input, { log }) => {
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
