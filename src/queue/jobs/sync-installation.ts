import { listInstallationRepositories, type InstallationOctokit } from "../../github/installations.js";
import type { JobHandler } from "../types.js";

export interface SyncInstallationData {
  installationId: number;
  action: string;
  [key: string]: unknown;
}

export interface SyncInstallationDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  onSynced?(installationId: number, repositories: string[]): void;
}

/**
 * Runs when the App is installed or its repository selection changes: learns which repositories it
 * serves, with the installation's own token (which also proves the App's credentials work).
 */
export function syncInstallation(deps: SyncInstallationDeps): JobHandler {
  return async (data, { log }) => {
    const { installationId, action } = data as SyncInstallationData;
    if (action === "deleted" || action === "suspend") {
      log.info({ installationId }, `installation ${action}; nothing to sync`);
      deps.onSynced?.(installationId, []);
      return;
    }
    const octokit = await deps.octokitFor(installationId);
    const repositories = (await listInstallationRepositories(octokit)).map((r) => `${r.owner}/${r.name}`);
    log.info({ installationId, repositories }, `installation ${installationId} serves ${repositories.length} repositories`);
    deps.onSynced?.(installationId, repositories);
  };
}
