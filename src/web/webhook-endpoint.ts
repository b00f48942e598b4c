import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import type { Metrics } from "./metrics.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { verifySignature } from "./verify-signature.js";

/** A verified, parsed delivery, handed to the app (Probot's `receive`). */
export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export interface WebhookEndpointOptions {
  secret: string;
  maxBytes: number;
  log: Logger;
  metrics: Metrics;
  receive(delivery: Delivery): Promise<void>;
}

function reply(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ message }));
}

/**
 * GitHub webhook receiver. Order matters: size first (never buffer a huge body), then the signature
 * over the exact bytes (never parse unauthenticated JSON), then parsing. Each refusal is one log line
 * and nothing is enqueued.
 */
export function createWebhookEndpoint(options: WebhookEndpointOptions) {
  const { log, metrics } = options;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const event = String(request.headers["x-github-event"] ?? "");
    const id = String(request.headers["x-github-delivery"] ?? "");
    const outcome = (name: string) => {
      metrics.webhookDeliveries.inc({ event: event || "unknown", outcome: name });
      metrics.webhookAckSeconds.observe({ event: event || "unknown" }, Number(process.hrtime.bigint() - started) / 1e9);
    };

    let body: Buffer;
    try {
      body = await readBody(request, options.maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        log.warn({ delivery: id, event }, `webhook refused: body over ${options.maxBytes} bytes`);
        outcome("too_large");
        response.setHeader("connection", "close");
        return reply(response, 413, `payload too large (limit ${options.maxBytes} bytes)`);
      }
      throw error;
    }

    const signature = request.headers["x-hub-signature-256"];
    if (!verifySignature(options.secret, body, typeof signature === "string" ? signature : undefined)) {
      log.warn(
        { delivery: id, event },
        signature ? "webhook refused: signature does not match WEBHOOK_SECRET" : "webhook refused: no X-Hub-Signature-256 header",
      );
      outcome("bad_signature");
      return reply(response, 401, "signature missing or invalid");
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      payload = undefined;
    }
    if (!event || !id || payload === null || typeof payload !== "object") {
      const what = !event ? "no X-GitHub-Event header" : !id ? "no X-GitHub-Delivery header" : "body is not a JSON object";
      log.warn({ delivery: id, event }, `webhook refused: ${what}`);
      outcome("malformed");
      return reply(response, 400, what);
    }

    try {
      await options.receive({ id, name: event, payload });
    } catch (error) {
      log.error({ delivery: id, event, err: error }, "webhook handler failed; GitHub may redeliver");
      outcome("error");
      return reply(response, 500, "handler failed");
    }
    outcome("accepted");
    reply(response, 202, "accepted");
  };
}
