import { markStateRebuilt } from "./rebuild-lost-state.js";
import type { SyncInstallationDeps } from "./sync-installation.js";
import type { JobHandlerOf } from "../job-table.js";

/**
 * At start, and whenever Redis is found to have lost what it held: every installation is synced
 * again, so the subscription index, the polling schedules and the promotions being waited for are
 * rebuilt from GitHub (the memory driver starts empty; Redis may have been flushed).
 */
export function syncAllInstallations(deps: SyncInstallationDeps): JobHandlerOf<"sync-all-installations"> {
  return async ({ requestedAt, reason }, { log }) => {
    const installations = await deps.listInstallations();
    await markStateRebuilt(deps.store, deps.clock);
    for (const installationId of installations) await deps.enqueue("sync-installation", { installationId, action: "startup", ...(requestedAt !== undefined ? { since: requestedAt } : {}) });
    log.info({ installations: installations.length, reason: reason ?? "startup" }, `rebuilding warehouse registrations for ${installations.length} installation(s)`);
  };
}
