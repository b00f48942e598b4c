import { readStageDeployments, stageEnvironments } from "../../github/freight-status.js";
import { readLastGoodConfig } from "../../github/last-good-config.js";
import { listOpenPromotionPulls, listRecentlyMergedPromotions } from "../../github/open-promotions.js";
import { promotionTrust } from "../../records/recognise-promotion-pull-request.js";
import type { PromoteDeps } from "../promotion/carry-out-promotion.js";
import { promotionKey, readPromotionContext } from "../promotion/promotion-context.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type RecoverRepositoryData = JobPayload<"recover-repository">;

/** Merged promotions older than this are not looked at: they ended, one way or another, long ago. */
const RECENT_PULLS = 30;

/**
 * At start, and whenever Redis is found to have lost its state, for every repository: picks up
 * what the App was waiting for. Verifications under way on what each stage runs are judged again
 * (their records are on their check runs); an open promotion pull request the App no longer
 * knows is rebuilt from its metadata block and checkpoint and carried on; a promotion whose pull
 * request merged but that never recorded a Deployment is resumed (its steps after the merge run
 * again, and they are idempotent). Only the App's own pull requests count.
 */
export function recoverRepository(deps: Pick<PromoteDeps, "octokitFor" | "enqueue" | "store" | "metadataKey" | "appSlug">): JobHandlerOf<"recover-repository"> {
  return async (at, { log }) => {
    const repo = { owner: at.owner, repo: at.repo };
    const octokit = await deps.octokitFor(at.installationId);
    if (!(await readLastGoodConfig(octokit, at.owner, at.repo, deps.store))) return;
    const project = await loadRunningConfig(octokit, at.owner, at.repo, deps.store);
    const trust = await promotionTrust(deps, at.owner, at.repo);
    const deployments = await readStageDeployments(octokit, repo, project.name, stageEnvironments(project));
    for (const deployment of deployments.values()) {
      await deps.enqueue("continue-verification", { installationId: at.installationId, ...repo, sha: deployment.sha }, { jobId: `recover:${at.owner}/${at.repo}:verify:${deployment.sha}` });
    }
    const resume = async (promotionId: string, stage: string, pullNumber: number) => {
      await deps.enqueue(
        "resume-promotion",
        { installationId: at.installationId, ...repo, promotionId, stage, pullNumber },
        { jobId: `recover:${promotionKey(at.owner, at.repo, promotionId)}:${pullNumber}` },
      );
    };
    let resumed = 0;
    for (const pull of await listOpenPromotionPulls(octokit, repo, trust)) {
      if (pull.metadata.project !== project.name || (await readPromotionContext(deps.store, repo, pull.metadata.promotion))) continue;
      await resume(pull.metadata.promotion, pull.metadata.stage, pull.number);
      resumed++;
    }
    const deployed = new Set([...deployments.values()].map((d) => d.promotionId));
    for (const pull of await listRecentlyMergedPromotions(octokit, repo, RECENT_PULLS, trust)) {
      const { metadata } = pull;
      if (metadata.project !== project.name || deployed.has(metadata.promotion)) continue;
      // Newer than what the stage runs, or the stage runs nothing yet: it may never have finished.
      const current = deployments.get(metadata.stage);
      if (current && current.createdAt > pull.mergedAt) continue;
      await resume(metadata.promotion, metadata.stage, pull.number);
      resumed++;
    }
    log.info({ owner: at.owner, repo: at.repo, verifications: deployments.size, promotions: resumed }, `recovery of ${at.owner}/${at.repo}: looked at ${deployments.size} stage(s), resumed ${resumed} promotion(s)`);
  };
}
