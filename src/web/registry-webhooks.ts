import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import { parseImageRepository } from "../freight/normalize-urls.js";
import { REGISTRY_WEBHOOK_PROVIDERS } from "../warehouse/registry-webhooks/providers/index.js";
import { PayloadError, type RegistryPush } from "../warehouse/registry-webhooks/types.js";
import { BodyTooLargeError, readBody } from "./read-body.js";

export const REGISTRY_WEBHOOKS_PATH = "/api/registry-webhooks";
/** Registry notifications are small; this leaves room for Distribution's batched envelopes. */
export const MAX_REGISTRY_WEBHOOK_BYTES = 1024 * 1024;

export interface RegistryWebhookOptions {
  /** Provider → secret; providers without a secret answer 404 with the variable to set. */
  secrets: Record<string, string>;
  log: Logger;
  maxBytes?: number;
  /** Called with the accepted pushes (repositories already checked); the caller enqueues. */
  onPushes(provider: string, pushes: RegistryPush[], deliveryId: string): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * `POST /api/registry-webhooks/<provider>[/<token>]`: a registry says an image was pushed. Checked
 * in this order, each refusal one log line and nothing enqueued: known and enabled provider (404),
 * size (413), the receiver's secret in the way that registry can send it (401), JSON in the
 * provider's shape (400). Image repositories that do not parse as such are dropped, not trusted.
 */
export function createRegistryWebhookEndpoint(options: RegistryWebhookOptions) {
  const maxBytes = options.maxBytes ?? MAX_REGISTRY_WEBHOOK_BYTES;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const [providerName = "", pathToken, ...extra] = path.slice(REGISTRY_WEBHOOKS_PATH.length + 1).split("/");
    const provider = Object.hasOwn(REGISTRY_WEBHOOK_PROVIDERS, providerName) ? REGISTRY_WEBHOOK_PROVIDERS[providerName] : undefined;
    if (!provider || extra.length > 0) {
      reply(response, 404, { message: `no registry receiver "${providerName}"; receivers: ${Object.keys(REGISTRY_WEBHOOK_PROVIDERS).join(", ")}` });
      return;
    }
    const secret = options.secrets[providerName];
    if (!secret) {
      reply(response, 404, { message: `the ${providerName} receiver is off: set REGISTRY_WEBHOOK_SECRET_${providerName.toUpperCase()} (or REGISTRY_WEBHOOK_SECRET) in the App's environment` });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        options.log.warn({ provider: providerName }, `registry webhook refused: body over ${maxBytes} bytes`);
        reply(response, 413, { message: `body is larger than ${maxBytes} bytes` });
        return;
      }
      throw error;
    }
    if (!provider.authenticate({ headers: request.headers, body, ...(pathToken ? { pathToken } : {}) }, secret)) {
      options.log.warn({ provider: providerName, from: request.socket.remoteAddress }, "registry webhook refused: missing or wrong secret");
      reply(response, 401, { message: `missing or wrong secret for the ${providerName} receiver: ${provider.authentication}` });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      reply(response, 400, { message: `the body is not JSON; the ${providerName} receiver reads ${providerName === "generic" ? '{"repository": "ghcr.io/acme/app", "tag": "1.2.3"}' : `${providerName}'s webhook payload`}` });
      return;
    }
    let pushes: RegistryPush[];
    try {
      pushes = provider.parse(payload);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      options.log.warn({ provider: providerName, problem: error.message }, "registry webhook refused: unexpected payload");
      reply(response, 400, { message: `not a ${providerName} push payload: ${error.message}` });
      return;
    }
    const accepted = pushes.filter((push) => parseImageRepository(push.repository) !== undefined);
    if (accepted.length < pushes.length) options.log.warn({ provider: providerName, dropped: pushes.length - accepted.length }, "registry webhook named repositories that are not image repositories; ignored them");
    const deliveryId = provider.deliveryId?.(payload) ?? createHash("sha256").update(body).digest("hex").slice(0, 32);
    if (accepted.length > 0) await options.onPushes(providerName, accepted, `${providerName}:${deliveryId}`);
    reply(response, 202, { pushes: accepted.length });
  };
}
