import { createHmac, randomUUID } from "node:crypto";
import type { SandboxStore, SandboxApp } from "./store.js";

export interface DeliveryRecord {
  id: string;
  event: string;
  action?: string;
  appId: number;
  installationId?: number;
  url: string;
  body: string;
  status?: number;
  error?: string;
  durationMs?: number;
  redelivery: boolean;
}

/**
 * Sends signed webhook deliveries, one at a time in the order state changed (as GitHub keeps order
 * per hook in practice), and keeps the log a test or the demo reads.
 */
export class WebhookDeliverer {
  readonly log: DeliveryRecord[] = [];
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly store: SandboxStore,
    private readonly onDelivered?: (record: DeliveryRecord) => void,
  ) {}

  /** Queues one delivery of `event` to `app`; the payload gets installation/sender fields from the caller. */
  send(app: SandboxApp, event: string, payload: Record<string, unknown>, installationId?: number): void {
    if (!app.webhookUrl) return;
    const body = JSON.stringify(installationId === undefined ? payload : { ...payload, installation: { id: installationId, node_id: Buffer.from(`Installation:${installationId}`).toString("base64") } });
    const record: DeliveryRecord = {
      id: randomUUID(),
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      appId: app.id,
      installationId,
      url: app.webhookUrl,
      body,
      redelivery: false,
    };
    this.enqueue(record, app);
  }

  /** Sends a logged delivery again with the same ID and body, as GitHub's "Redeliver" does. */
  redeliver(id: string): DeliveryRecord {
    const original = this.log.find((r) => r.id === id);
    if (!original) throw new Error(`no delivery with id ${id}`);
    const app = this.store.apps.get(original.appId);
    if (!app) throw new Error(`the App of delivery ${id} no longer exists`);
    const copy: DeliveryRecord = { ...original, status: undefined, error: undefined, durationMs: undefined, redelivery: true };
    this.enqueue(copy, app);
    return copy;
  }

  /** Resolves when every queued delivery has been answered. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  private enqueue(record: DeliveryRecord, app: SandboxApp): void {
    this.log.push(record);
    this.pending++;
    this.chain = this.chain.then(async () => {
      const started = Date.now();
      try {
        const response = await fetch(record.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "GitHub-Hookshot/sandbox",
            "x-github-event": record.event,
            "x-github-delivery": record.id,
            "x-github-hook-id": String(app.id),
            "x-github-hook-installation-target-id": String(app.id),
            "x-github-hook-installation-target-type": "integration",
            "x-hub-signature-256": `sha256=${createHmac("sha256", app.webhookSecret).update(record.body).digest("hex")}`,
          },
          body: record.body,
          signal: AbortSignal.timeout(10_000),
        });
        record.status = response.status;
        await response.arrayBuffer();
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      } finally {
        record.durationMs = Date.now() - started;
        this.pending--;
        this.onDelivered?.(record);
      }
    });
  }
}
