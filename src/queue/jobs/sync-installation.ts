import type { Clock } from "../../clock.js";
import { listInstallationRepositories, type InstallationOctokit } from "../../github/installations.js";
import type { KeyValueStore } from "../key-value-store.js";
import { markStateRebuilt } from "../state-epoch.js";
import type { EnqueueOptions, JobHandler } from "../types.js";

export interface SyncInstallationData {
  installationId: number;
  action: string;
  [key: string]: unknown;
}

export interface SyncInstallationDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  /** The App's installations (JWT), for rebuilding caches at start. */
  listInstallations(): Promise<number[]>;
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<unknown>;
  store: KeyValueStore;
  clock: Clock;
  onSynced?(installationId: number, repositories: string[]): void;
}

/**
 * Runs when the App is installed or its repository selection changes: learns which repositories it
 * serves, with the installation's own token (which also proves the App's credentials work), and
 * registers each repository's warehouses (subscription index, polling schedules).
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
    const repositories = await listInstallationRepositories(octokit);
    for (const repository of repositories) {
      await deps.enqueue("register-warehouses", { installationId, owner: repository.owner, repo: repository.name, discoverNow: true });
      // After a restart (or a Redis flush) nothing queued is trusted to be there: look for waits to pick up.
      if (action === "startup") await deps.enqueue("recover-repository", { installationId, owner: repository.owner, repo: repository.name });
    }
    const names = repositories.map((r) => `${r.owner}/${r.name}`);
    log.info({ installationId, repositories: names }, `installation ${installationId} serves ${names.length} repositories`);
    deps.onSynced?.(installationId, names);
  };
}

/**
 * At start, and whenever Redis is found to have lost what it held: every installation is synced
 * again, so the subscription index, the polling schedules and the promotions being waited for are
 * rebuilt from GitHub (the memory driver starts empty; Redis may have been flushed).
 */
export function syncAllInstallations(deps: SyncInstallationDeps): JobHandler {
  return async (data, { log }) => {
    const installations = await deps.listInstallations();
    await markStateRebuilt(deps.store, deps.clock);
    for (const installationId of installations) await deps.enqueue("sync-installation", { installationId, action: "startup" });
    log.info({ installations: installations.length, reason: data.reason ?? "startup" }, `rebuilding warehouse registrations for ${installations.length} installation(s)`);
  };
}
