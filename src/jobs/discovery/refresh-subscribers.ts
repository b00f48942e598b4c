import type { Clock } from "../../clock.js";
import type { SubscriptionIndex } from "../../warehouse/subscription-index.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";
import { isRebuilding, rebuildIfStateLost } from "../installation/rebuild-lost-state.js";
import type { Enqueue, JobHandlerOf, JobPayload } from "../job-table.js";

export type RefreshSubscribersData = JobPayload<"refresh-subscribers">;

export interface RefreshSubscribersDeps {
  subscriptions: SubscriptionIndex;
  enqueue: Enqueue;
  store: KeyValueStore;
  clock: Clock;
  onUnsubscribed?(keys: string[], source: string): void;
}

const REBUILD_WAIT_MS = 3_000;
const MAX_REBUILD_WAITS = 10;

/** One push fans out to every warehouse (in any installation) that subscribes to the artifact. */
export function refreshSubscribers(deps: RefreshSubscribersDeps): JobHandlerOf<"refresh-subscribers"> {
  return async (input, { log }) => {
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
