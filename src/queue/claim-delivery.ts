import { createHash, randomUUID } from "node:crypto";
import type { KeyValueStore } from "./key-value-store.js";
import { DEDUPE_WINDOW_MS } from "./types.js";

/** A delivery as it arrived: GitHub's ID for it, the event name, and the exact signed bytes. */
export interface ArrivedDelivery {
  id: string;
  name: string;
  body: Buffer;
}

export type DeliveryClaim = { fresh: true; release(): Promise<void> } | { fresh: false };

/**
 * The keys a delivery is known by for a day: its ID (GitHub's redelivery sends the same), and a
 * digest of its event name and body, so a signed body replayed under a new ID is known too.
 */
export function deliveryKeys(delivery: ArrivedDelivery): string[] {
  const digest = createHash("sha256").update(delivery.name).update("\0").update(delivery.body).digest("hex");
  return [`delivery:id:${delivery.id}`, `delivery:body:${digest}`];
}

/**
 * Claims a delivery before anything is queued for it: both keys are taken in one step, so of
 * twenty copies arriving at once (on one replica or several) exactly one is fresh. A claim whose
 * handling failed is released, so that GitHub's redelivery of it is handled.
 */
export function createDeliveryLedger(store: KeyValueStore, windowMs = DEDUPE_WINDOW_MS) {
  return async (delivery: ArrivedDelivery): Promise<DeliveryClaim> => {
    const keys = deliveryKeys(delivery);
    const token = randomUUID();
    if (!(await store.setAllIfAbsent(keys, token, windowMs))) return { fresh: false };
    return {
      fresh: true,
      release: async () => {
        for (const key of keys) await store.deleteIfEquals(key, token);
      },
    };
  };
}

export type DeliveryLedger = ReturnType<typeof createDeliveryLedger>;
