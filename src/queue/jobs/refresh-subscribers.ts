import type { SubscriptionIndex } from "../../warehouse/subscription-index.js";
import type { EnqueueOptions, JobHandler } from "../types.js";

export interface RefreshSubscribersData {
  /** Index keys of the artifacts that changed (`image:ghcr.io/acme/app`, `git:https://github.com/acme/src`). */
  keys: string[];
  /** What told us: `registry:<provider>`, `github:push`, `github:registry_package`. */
  source: string;
  /** The delivery that announced it; with the warehouse it makes the discovery job's ID. */
  deliveryId: string;
  [key: string]: unknown;
}

export interface RefreshSubscribersDeps {
  subscriptions: SubscriptionIndex;
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<unknown>;
  onUnsubscribed?(keys: string[], source: string): void;
}

/** One push fans out to every warehouse (in any installation) that subscribes to the artifact. */
export function refreshSubscribers(deps: RefreshSubscribersDeps): JobHandler {
  return async (data, { log }) => {
    const { keys, source, deliveryId } = data as RefreshSubscribersData;
    const seen = new Set<string>();
    for (const key of keys) {
      for (const subscriber of await deps.subscriptions.lookup(key)) {
        const id = `${subscriber.installationId}/${subscriber.owner}/${subscriber.repo}/${subscriber.warehouse}`;
        if (seen.has(id)) continue;
        seen.add(id);
        await deps.enqueue("discover-warehouse", { ...subscriber, reason: source }, { jobId: `discover:${id}:${deliveryId}` });
      }
    }
    if (seen.size === 0) {
      log.info({ keys, source }, `no warehouse subscribes to ${keys.join(", ")}; nothing to discover`);
      deps.onUnsubscribed?.(keys, source);
    } else {
      log.info({ keys, source, warehouses: [...seen] }, `${keys.join(", ")} changed: discovering ${seen.size} warehouse(s)`);
    }
  };
}
