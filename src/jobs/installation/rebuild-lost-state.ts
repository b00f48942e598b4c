import type { Clock } from "../../clock.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";
import type { Enqueue } from "../job-table.js";

/**
 * Redis holds only what can be rebuilt from GitHub (DESIGN decision 2), but it has to be rebuilt
 * when it is lost — a flush, a failover to an empty replica, an eviction — not only when the App
 * starts. A marker key says "the subscription index, the polling schedules and the promotions
 * being waited for were rebuilt at …"; whoever finds it missing asks for the rebuild, once.
 */
const EPOCH_KEY = "state-epoch";
const REBUILD_CLAIM_KEY = "state-rebuild-requested";
/** One rebuild request per this long, however many replicas and jobs notice at once. */
const REBUILD_CLAIM_MS = 15_000;

export async function markStateRebuilt(store: KeyValueStore, clock: Clock): Promise<void> {
  await store.set(EPOCH_KEY, clock.now().toISOString());
}

export async function isStateLost(store: KeyValueStore): Promise<boolean> {
  return (await store.get(EPOCH_KEY)) === undefined;
}

/** When the marker is gone, queues one rebuild of everything Redis held (`sync-all-installations`). True when it was gone. */
export async function rebuildIfStateLost(
  store: KeyValueStore,
  enqueue: Enqueue,
  clock: Clock,
): Promise<boolean> {
  if (!(await isStateLost(store))) return false;
  const now = clock.now().getTime();
  if (await store.setIfAbsent(REBUILD_CLAIM_KEY, String(now), REBUILD_CLAIM_MS)) {
    await enqueue("sync-all-installations", { reason: "state-lost" }, { jobId: `state-rebuild:${now}` });
  }
  return true;
}

/** True while the marker is gone or a rebuild was asked for moments ago: an empty lookup then proves nothing. */
export async function isRebuilding(store: KeyValueStore): Promise<boolean> {
  return (await isStateLost(store)) || (await store.get(REBUILD_CLAIM_KEY)) !== undefined;
}
