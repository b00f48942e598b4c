import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock.js";
import { listInstallationRepositories, type InstallationOctokit } from "../../github/installations.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";
import { DEDUPE_WINDOW_MS } from "../../queue/types.js";
import { withLock } from "../../queue/with-lock.js";
import type { Enqueue, JobHandlerOf, JobPayload } from "../job-table.js";

export type SyncInstallationData = JobPayload<"sync-installation">;

export interface SyncInstallationDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  /** The App's installations (JWT), for rebuilding caches at start. */
  listInstallations(): Promise<number[]>;
  enqueue: Enqueue;
  store: KeyValueStore;
  clock: Clock;
  onSynced?(installationId: number, repositories: string[]): void;
}

const syncedKey = (installationId: number) => `installation-synced:${installationId}`;

/**
 * Records that a sync of the installation begins now, unless it is a startup sync and another sync
 * of it began since the App started: that one read GitHub later than anything the startup sync
 * could rebuild, and every change after it comes with a delivery of its own. Check and record are
 * one step under the installation's lock, so a startup sync and the installation's own delivery
 * racing each other register its warehouses once. Returns the stamp, or undefined to skip.
 */
async function beginSync(deps: SyncInstallationDeps, installationId: number, since: number | undefined): Promise<string | undefined> {
  return withLock(deps.store, syncedKey(installationId), async () => {
    const last = Number.parseInt((await deps.store.get(syncedKey(installationId))) ?? "", 10);
    if (since !== undefined && last >= since) return undefined;
    const stamp = `${deps.clock.now().getTime()}:${randomUUID()}`;
    await deps.store.set(syncedKey(installationId), stamp, DEDUPE_WINDOW_MS);
    return stamp;
  });
}

/**
 * Runs when the App is installed or its repository selection changes: learns which repositories it
 * serves, with the installation's own token (which also proves the App's credentials work), and
 * registers each repository's warehouses (subscription index, polling schedules).
 */
export function syncInstallation(deps: SyncInstallationDeps): JobHandlerOf<"sync-installation"> {
  return async ({ installationId, action, since }, { log }) => {
    if (action === "deleted" || action === "suspend") {
      log.info({ installationId }, `installation ${action}; nothing to sync`);
      deps.onSynced?.(installationId, []);
      return;
    }
    const stamp = await beginSync(deps, installationId, action === "startup" ? since : undefined);
    try {
      const octokit = await deps.octokitFor(installationId);
      const repositories = await listInstallationRepositories(octokit);
      for (const repository of repositories) {
        if (stamp) await deps.enqueue("register-warehouses", { installationId, owner: repository.owner, repo: repository.name, discoverNow: true });
        // After a restart (or a Redis flush) nothing queued is trusted to be there: look for waits to pick up.
        if (action === "startup") await deps.enqueue("recover-repository", { installationId, owner: repository.owner, repo: repository.name });
      }
      const names = repositories.map((r) => `${r.owner}/${r.name}`);
      if (!stamp) {
        log.info({ installationId, repositories: names }, `installation ${installationId} was synced since the App started; only looking for waits to pick up in its ${names.length} repositories`);
        return;
      }
      log.info({ installationId, repositories: names }, `installation ${installationId} serves ${names.length} repositories`);
      deps.onSynced?.(installationId, names);
    } catch (error) {
      // Not synced after all: the next sync of it, startup or not, must run.
      if (stamp) await deps.store.deleteIfEquals(syncedKey(installationId), stamp).catch(() => undefined);
      throw error;
    }
  };
}
