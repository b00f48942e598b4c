import { CONFIG_CHECK_NAME, formatCheckRun, KARGO_CONFIG_DIR, loadProject, NATIVE_CONFIG_PATH } from "../../config/index.js";
import { publishCheckRun } from "../../github/check-runs.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { listPullRequestFiles } from "../../github/pull-request-files.js";
import { readLastGoodConfig, recordLastGoodConfig, type ConfigPointerCache } from "../../github/last-good-config.js";
import { createGitHubConfigSource, githubRepositorySources } from "../../github/read-config-files.js";
import type { Clock } from "../../clock.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";
import type { Enqueue, JobHandlerOf, JobPayload } from "../job-table.js";

/** Whether a path is part of the pipeline config (the native file or a Kargo manifest). */
export function isConfigPath(path: string): boolean {
  return path === NATIVE_CONFIG_PATH || path.startsWith(`${KARGO_CONFIG_DIR}/`);
}

export type CheckConfigData = JobPayload<"check-config">;

export interface CheckConfigDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  enqueue: Enqueue;
  clock: Clock;
  /** Where replicas learn the adopted config's commit (a cache of refs/stagecoach/config/last-good). */
  store?: ConfigPointerCache;
  onConfigChecked?(result: { owner: string; repo: string; sha: string; valid: boolean; applied: boolean }): void;
}

/**
 * Validates the pipeline config at one commit and reports it as the `stagecoach/config` check run,
 * with an annotation on every line that is wrong. On the default branch a valid config becomes the
 * last good one; a broken one leaves the last good config running and the check run says so.
 */
export function checkConfig(deps: CheckConfigDeps): JobHandlerOf<"check-config"> {
  return async ({ installationId, owner, repo, sha, onDefaultBranch, pullNumber }, { log }) => {
    const octokit = await deps.octokitFor(installationId);
    if (pullNumber !== undefined && !(await listPullRequestFiles(octokit, { owner, repo }, pullNumber)).some(isConfigPath)) {
      log.debug({ owner, repo, pullNumber }, "pull request does not touch the config; nothing to check");
      return;
    }
    const result = await loadProject(createGitHubConfigSource(octokit, { owner, repo, ref: sha }), {
      projectName: repo,
      repository: { owner, repo },
      repositories: githubRepositorySources(octokit),
    });
    const lastGood = result.valid ? undefined : await readLastGoodConfig(octokit, owner, repo);
    const checkRun = formatCheckRun(result, lastGood ? { lastGood: { sha: lastGood } } : {});
    await publishCheckRun(octokit, { owner, repo, headSha: sha }, { name: CONFIG_CHECK_NAME, conclusion: checkRun.conclusion, outputs: checkRun.outputs });
    const applied = onDefaultBranch && result.valid;
    if (applied) {
      await recordLastGoodConfig(octokit, owner, repo, sha, deps.store);
      // The warehouses may have changed: re-index, re-schedule, discover at once.
      await deps.enqueue("register-warehouses", { installationId, owner, repo, discoverNow: true }, { jobId: `register-warehouses:${owner}/${repo}:${sha}` });
      await requestDashboardRefresh(deps, { installationId, owner, repo });
    }
    log.info({ owner, repo, sha, valid: result.valid, applied, diagnostics: result.diagnostics.length }, `config at ${sha.slice(0, 7)}: ${checkRun.outputs[0]?.title}`);
    deps.onConfigChecked?.({ owner, repo, sha, valid: result.valid, applied });
  };
}
