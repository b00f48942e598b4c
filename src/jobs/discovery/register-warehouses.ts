import type { ConfigPointerCache } from "../../github/last-good-config.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { parseDuration } from "../../promotion/parse-duration.js";
import type { SubscriptionIndex } from "../../warehouse/subscription-index.js";
import type { JobQueue } from "../../queue/types.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { Enqueue, JobHandlerOf, JobPayload } from "../job-table.js";

export type RegisterWarehousesData = JobPayload<"register-warehouses">;

export interface RegisterWarehousesDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  subscriptions: SubscriptionIndex;
  schedules: Pick<JobQueue, "upsertSchedule" | "removeSchedule" | "listSchedules">;
  /** A cache of the running config's commit, shared by replicas. */
  store?: ConfigPointerCache;
  enqueue: Enqueue;
}

/** Polling more often than this would only burn registry rate limits; webhooks are the fast path. */
export const MIN_POLL_INTERVAL_MS = 30_000;

export function warehouseScheduleKey(at: { installationId: number; owner: string; repo: string }, warehouse?: string): string {
  return `warehouse/${at.installationId}/${at.owner}/${at.repo}/${warehouse ?? ""}`.toLowerCase();
}

/**
 * Reads the config the App runs for a repository and makes the world match it: the subscription
 * index (which pushes concern this repository), one polling schedule per warehouse at its
 * `interval` (BullMQ Job Schedulers with Redis), and no schedule for a warehouse that is gone.
 */
export function registerWarehouses(deps: RegisterWarehousesDeps): JobHandlerOf<"register-warehouses"> {
  return async (at, { log }) => {
    const octokit = await deps.octokitFor(at.installationId);
    const warehouses = await loadRunningConfig(octokit, at.owner, at.repo, deps.store).then(
      (project) => project.warehouses,
      (error: unknown) => {
        log.info({ owner: at.owner, repo: at.repo }, `no warehouses registered for ${at.owner}/${at.repo}: ${(error as Error).message}`);
        return [];
      },
    );
    const where = { installationId: at.installationId, owner: at.owner, repo: at.repo };
    await deps.subscriptions.replaceRepository(where, warehouses);
    const prefix = warehouseScheduleKey(where);
    const wanted = new Set<string>();
    for (const warehouse of warehouses) {
      const key = warehouseScheduleKey(where, warehouse.name);
      wanted.add(key);
      const everyMs = Math.max(parseDuration(warehouse.spec.interval, `warehouse ${warehouse.name}, spec.interval`), MIN_POLL_INTERVAL_MS);
      await deps.schedules.upsertSchedule(key, everyMs, "discover-warehouse", { ...where, warehouse: warehouse.name, reason: "poll" });
      if (at.discoverNow) await deps.enqueue("discover-warehouse", { ...where, warehouse: warehouse.name, reason: "config" });
    }
    for (const key of await deps.schedules.listSchedules()) {
      if (key.startsWith(prefix) && !wanted.has(key)) await deps.schedules.removeSchedule(key);
    }
    log.info({ owner: at.owner, repo: at.repo, warehouses: warehouses.map((w) => w.name) }, `${at.owner}/${at.repo}: ${warehouses.length} warehouses registered`);
  };
}
