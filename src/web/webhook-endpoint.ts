import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import type { DeliveryLedger } from "../queue/claim-delivery.js";
import type { IngressLimits } from "./ingress-limits.js";
import type { Metrics } from "./metrics.js";
import { parseJsonBody } from "./parse-json-body.js";
import { describeBodyRefusal, RequestAbortedError, withBody, type BodyBudget } from "./read-body.js";
import { createStreamingSignature, isSignatureShaped } from "./verify-signature.js";

/** A verified, parsed delivery, handed to the app (Probot's `receive`). */
export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export interface WebhookEndpointOptions {
  secret: string;
  maxBytes: number;
  /** Body bytes all endpoints together may hold (shared with the registry receivers). */
  budget: BodyBudget;
  limits: IngressLimits;
  log: Logger;
  metrics: Metrics;
  /** Claims a delivery by its ID and by its body: a redelivery or a replay is answered and not handed on. */
  claim: DeliveryLedger;
  receive(delivery: Delivery): Promise<void>;
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify({ message }));
}

/**
 * GitHub webhook receiver. Order matters: a request without a well-formed signature header is
 * refused unread; the body is then read within the size, in-flight and rate budgets while its HMAC
 * is computed, so nothing unauthenticated is parsed and no forged body is buffered past the budget.
 * A delivery already seen (by ID, or by event and body) is answered 202 and not handed on. Each
 * refusal is one log line and nothing is enqueued.
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

    const header = request.headers["x-hub-signature-256"];
    const signatureHeader = typeof header === "string" ? header : undefined;
    if (!isSignatureShaped(signatureHeader)) {
      log.warn({ delivery: id, event }, signatureHeader ? "webhook refused: X-Hub-Signature-256 is not sha256=<64 hex digits>" : "webhook refused: no X-Hub-Signature-256 header");
      outcome("bad_signature");
      return reply(response, 401, "signature missing or invalid", { connection: "close" });
    }

    const signature = createStreamingSignature(options.secret);
    try {
      await withBody(request, { maxBytes: options.maxBytes, budget: options.budget, limits: options.limits, onChunk: (chunk) => signature.update(chunk) }, async (body) => {
        if (!signature.matches(signatureHeader)) {
          log.warn({ delivery: id, event }, "webhook refused: signature does not match WEBHOOK_SECRET");
          outcome("bad_signature");
          return reply(response, 401, "signature missing or invalid");
        }
        const parsed = parseJsonBody(body);
        const payload = parsed.ok ? parsed.value : undefined;
        // Every GitHub event is an object; an array or a scalar is not a delivery, however well signed.
        if (!event || !id || payload === null || typeof payload !== "object" || Array.isArray(payload)) {
          const what = !event ? "no X-GitHub-Event header" : !id ? "no X-GitHub-Delivery header" : !parsed.ok && parsed.tooDeep ? `body is not a JSON object: ${parsed.problem}` : "body is not a JSON object";
          log.warn({ delivery: id, event }, `webhook refused: ${what}`);
          outcome("malformed");
          return reply(response, 400, what);
        }
        const claim = await options.claim({ id, name: event, body });
        if (!claim.fresh) {
          log.info({ delivery: id, event }, "delivery already handled; ignoring the redelivery");
          outcome("duplicate");
          return reply(response, 202, "already handled");
        }
        try {
          await options.receive({ id, name: event, payload });
        } catch (error) {
          log.error({ delivery: id, event, err: error }, "webhook handler failed; GitHub may redeliver");
          await claim.release().catch((releaseError: unknown) => log.warn({ delivery: id, err: releaseError }, "could not release the failed delivery's claim; its redelivery will be taken for a duplicate for 24 h"));
          outcome("error");
          return reply(response, 500, "handler failed");
        }
        outcome("accepted");
        reply(response, 202, "accepted");
      });
    } catch (error) {
      if (error instanceof RequestAbortedError) {
        outcome("aborted");
        return void response.destroy();
      }
      const refusal = describeBodyRefusal(error, options.limits.retryAfterSeconds);
      if (!refusal) throw error;
      log.warn({ delivery: id, event, status: refusal.status }, `webhook refused: ${refusal.message}`);
      outcome(refusal.status === 413 ? "too_large" : refusal.status === 503 ? "busy" : "too_slow");
      reply(response, refusal.status, refusal.message, refusal.headers);
    }
  };
}
