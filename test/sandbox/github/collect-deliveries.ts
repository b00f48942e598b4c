import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface CollectedDeliveries {
  url: string;
  /** Every delivery received so far: event name and parsed payload. */
  all(): Array<{ event: string; payload: Record<string, unknown> }>;
  /** The actions of the deliveries of one event, in order (ping and others left out). */
  actions(event: string): string[];
  /** The first delivery of `event` with `action`; fails the test if there is none. */
  find(event: string, action?: string): Record<string, unknown>;
  close(): Promise<void>;
}

/** A webhook receiver for sandbox tests: accepts everything and keeps what arrived. */
export async function collectDeliveries(): Promise<CollectedDeliveries> {
  const received: Array<{ event: string; payload: Record<string, unknown> }> = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ event: String(request.headers["x-github-event"]), payload: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    all: () => [...received],
    actions: (event) => received.filter((d) => d.event === event).map((d) => String(d.payload.action)),
    find(event, action) {
      const found = received.find((d) => d.event === event && (action === undefined || d.payload.action === action));
      if (!found) throw new Error(`no ${event}${action ? `.${action}` : ""} delivery; got ${received.map((d) => `${d.event}.${String(d.payload.action)}`).join(", ")}`);
      return found.payload;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
