import { readStageDeployments } from "../../github/freight-status.js";
import { readLastGoodConfig } from "../../github/last-good-config.js";
import { listRecentlyMergedPulls } from "../../github/open-promotions.js";
import { parsePromotionBranch } from "../../pipeline/promotion-branch.js";
import type { JobHandler } from "../types.js";
import type { PromoteDeps } from "./carry-out-promotion.js";
import { loadRunningConfig } from "./load-running-config.js";

export interface RecoverRepositoryData {
  installationId: number;
  owner: string;
  repo: string;
  [key: string]: unknown;
}

/** Merged promotions older than this are not looked at: they ended, one way or another, long ago. */
const RECENT_PULLS = 30;

/**
 * At start, for every repository: picks up what a flushed Redis (or a restarted embedded queue)
 * forgot it was waiting for. Verifications under way on what each stage runs are judged again
 * (their records are on their check runs); a promotion whose pull request merged but that never
 * recorded a Deployment is resumed from its checkpoint (its steps after the merge run again, and
 * they are idempotent).
 */
export function recoverRepository(deps: Pick<PromoteDeps, "octokitFor" | "enqueue" | "store">): JobHandler {
  return async (data, { log }) => {
    const at = data as RecoverRepositoryData;
    const repo = { owner: at.owner, repo: at.repo };
    const octokit = await deps.octokitFor(at.installationId);
    if (!(await readLastGoodConfig(octokit, at.owner, at.repo, deps.store))) return;
    const project = await loadRunningConfig(octokit, at.owner, at.repo, deps.store);
    const deployments = await readStageDeployments(octokit, repo, project.name);
    for (const deployment of deployments.values()) {
      await deps.enqueue("continue-verification", { installationId: at.installationId, ...repo, sha: deployment.sha }, { jobId: `recover:${at.owner}/${at.repo}:verify:${deployment.sha}` });
    }
    const deployed = new Set([...deployments.values()].map((d) => d.promotionId));
    let resumed = 0;
    for (const pull of await listRecentlyMergedPulls(octokit, repo, RECENT_PULLS)) {
      const branch = parsePromotionBranch(pull.headRef);
      if (!branch || branch.project !== project.name || deployed.has(branch.promotionId)) continue;
      // Newer than what the stage runs, or the stage runs nothing yet: it may never have finished.
      const current = deployments.get(branch.stage);
      if (current && current.createdAt > pull.mergedAt) continue;
      await deps.enqueue(
        "resume-promotion",
        { installationId: at.installationId, ...repo, promotionId: branch.promotionId, stage: branch.stage, pullNumber: pull.number, headSha: pull.headSha },
        { jobId: `recover:${at.owner}/${at.repo}:promotion:${branch.promotionId}` },
      );
      resumed++;
    }
    log.info({ owner: at.owner, repo: at.repo, verifications: deployments.size, promotions: resumed }, `recovery of ${at.owner}/${at.repo}: looked at ${deployments.size} stage(s), resumed ${resumed} promotion(s)`);
  };
}
