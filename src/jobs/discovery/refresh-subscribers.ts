import type { Clock } from "../../clock.js";
import type { SubscriptionIndex } from "../../warehouse/subscription-index.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";
import { isRebuilding, rebuildIfStateLost } from "../../queue/state-epoch.js";
import type { EnqueueOptions, JobHandler } from "../../queue/types.js";

export interface RefreshSubscribersData {
  /** Index keys of the artifacts that changed (`image:ghcr.io/acme/app`, `git:https://github.com/acme/src`). */
  keys: string[];
  /** What told us: `registry:<provider>`, `github:push`, `github:registry_package`. */
  source: string;
  /** The delivery that announced it; with the warehouse it makes the discovery job's ID. */
  deliveryId: string;
  /** How many times this push has already waited for the registrations to be rebuilt. */
  waitedForRebuild?: number;
  [key: string]: unknown;
}

export interface RefreshSubscribersDeps {
  subscriptions: SubscriptionIndex;
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<unknown>;
  store: KeyValueStore;
  clock: Clock;
  onUnsubscribed?(keys: string[], source: string): void;
}

const REBUILD_WAIT_MS = 3_000;
const MAX_REBUILD_WAITS = 10;

/** One push fans out to every warehouse (in any installation) that subscribes to the artifact. */
export function refreshSubscribers(deps: RefreshSubscribersDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as RefreshSubscribersData;
    const { keys, source, deliveryId } = input;
    const seen = new Set<string>();
    for (const key of keys) {
      for (const subscriber of await deps.subscriptions.lookup(key)) {
        const id = `${subscriber.installationId}/${subscriber.owner}/${subscriber.repo}/${subscriber.warehouse}`;
        if (seen.has(id)) continue;
        seen.add(id);
        await deps.enqueue("discover-warehouse", { ...subscriber, reason: source }, { jobId: `discover:${id}:${deliveryId}` });
      }
    }
    if (seen.size === 0 && (await waitForRebuild(deps, input))) {
      log.info({ keys, source }, `no warehouse subscribes to ${keys.join(", ")} yet, while the registrations are rebuilt; looking again in ${REBUILD_WAIT_MS / 1000} s`);
      return;
    }
    if (seen.size === 0) {
      log.info({ keys, source }, `no warehouse subscribes to ${keys.join(", ")}; nothing to discover`);
      deps.onUnsubscribed?.(keys, source);
    } else {
      log.info({ keys, source, warehouses: [...seen] }, `${keys.join(", ")} changed: discovering ${seen.size} warehouse(s)`);
    }
  };
}

/**
 * A push that finds no subscriber while Redis has just lost (or is rebuilding) the index must not
 * be dropped: the rebuild is asked for, and the push is looked at again once it is done.
 */
async function waitForRebuild(deps: RefreshSubscribersDeps, input: RefreshSubscribersData): Promise<boolean> {
  await rebuildIfStateLost(deps.store, deps.enqueue, deps.clock);
  const waited = input.waitedForRebuild ?? 0;
  if (waited >= MAX_REBUILD_WAITS || !(await isRebuilding(deps.store))) return false;
  await deps.enqueue("refresh-subscribers", { ...input, waitedForRebuild: waited + 1 }, { delayMs: REBUILD_WAIT_MS, jobId: `refresh-after-rebuild:${input.deliveryId}:${waited + 1}` });
  return true;
}
