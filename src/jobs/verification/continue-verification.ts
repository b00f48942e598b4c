import { findPendingVerifications, readOpenVerification } from "../../github/verification.js";
import { withLock } from "../../queue/with-lock.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";
import { judge, runIndexKey, verificationLockKey, type VerifyStageDeps } from "./judge-pending-verification.js";

export type ContinueVerificationData = JobPayload<"continue-verification">;

/** A workflow run completed, a check/status changed, or a poll is due: judge the verifications it may end. */
export function continueVerification(deps: VerifyStageDeps): JobHandlerOf<"continue-verification"> {
  return async (input, { log }) => {
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
