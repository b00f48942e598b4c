import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import { parseImageRepository } from "../freight/normalize-urls.js";
import { createBodySignature, header, type BodySignature } from "../warehouse/registry-webhooks/check-secret.js";
import { REGISTRY_WEBHOOK_PROVIDERS } from "../warehouse/registry-webhooks/providers/index.js";
import { PayloadError, type RegistryPush, type RegistryWebhookProvider } from "../warehouse/registry-webhooks/types.js";
import { parseJsonBody } from "./parse-json-body.js";
import { DEFAULT_INGRESS_LIMITS, type IngressLimits } from "./ingress-limits.js";
import { createBodyBudget, describeBodyRefusal, RequestAbortedError, withBody, type BodyBudget } from "./read-body.js";

export const REGISTRY_WEBHOOKS_PATH = "/api/registry-webhooks";
/** Registry notifications are small; this leaves room for Distribution's batched envelopes. */
export const MAX_REGISTRY_WEBHOOK_BYTES = 1024 * 1024;

export interface RegistryWebhookOptions {
  /** Provider → secret; providers without a secret answer 404 with the variable to set. */
  secrets: Record<string, string>;
  log: Logger;
  maxBytes?: number;
  /** Body bytes all endpoints together may hold (shared with the GitHub endpoint); one of its own when absent. */
  budget?: BodyBudget;
  limits?: IngressLimits;
  /** Called with the accepted pushes (repositories already checked); the caller enqueues. */
  onPushes(provider: string, pushes: RegistryPush[], deliveryId: string): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** `/api/registry-webhooks/dockerhub/<token>` as logs show it: the provider, never the token. */
export function redactRegistryWebhookPath(path: string): string {
  const [provider = "", token] = path.slice(REGISTRY_WEBHOOKS_PATH.length + 1).split("/");
  return `${REGISTRY_WEBHOOKS_PATH}/${provider}${token === undefined ? "" : "/[redacted]"}`;
}

/**
 * The secret as the request carries it before its body, or the signature the body must match.
 * Undefined: neither, and the body is not read.
 */
function credentialOf(provider: RegistryWebhookProvider, request: IncomingMessage, pathToken: string | undefined, secret: string): { signature?: { check: BodySignature; given: string } } | undefined {
  const receiverRequest = { headers: request.headers, ...(pathToken ? { pathToken } : {}) };
  if (provider.carriesSecret?.(receiverRequest, secret)) return {};
  const given = provider.signature ? header(receiverRequest, provider.signature.header) : undefined;
  if (!provider.signature || !given) return undefined;
  return { signature: { check: createBodySignature(secret, provider.signature.prefix), given } };
}

/**
 * `POST /api/registry-webhooks/<provider>[/<token>]`: a registry says an image was pushed. Checked
 * in this order, each refusal one log line and nothing enqueued: known and enabled provider (404),
 * the receiver's secret in the way that registry can send it (401, the body unread unless the
 * registry signs it), size and the in-flight budget (413, 503), the signature over the body (401),
 * JSON in the provider's shape with at most MAX_PUSHES_PER_NOTIFICATION pushes (400). Image
 * repositories that do not parse as such are dropped, not trusted.
 */
export function createRegistryWebhookEndpoint(options: RegistryWebhookOptions) {
  const maxBytes = options.maxBytes ?? MAX_REGISTRY_WEBHOOK_BYTES;
  const limits = options.limits ?? DEFAULT_INGRESS_LIMITS;
  const budget = options.budget ?? createBodyBudget(limits.maxBodyBytesInFlight);
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
    const refuseSecret = () => {
      options.log.warn({ provider: providerName, from: request.socket.remoteAddress }, "registry webhook refused: missing or wrong secret");
      reply(response, 401, { message: `missing or wrong secret for the ${providerName} receiver: ${provider.authentication}` }, { connection: "close" });
    };
    const credential = credentialOf(provider, request, pathToken, secret);
    if (!credential) return refuseSecret();
    const { signature } = credential;
    try {
      await withBody(request, { maxBytes, budget, limits, ...(signature ? { onChunk: (chunk: Buffer) => signature.check.update(chunk) } : {}) }, async (body) => {
        if (signature && !signature.check.matches(signature.given)) return refuseSecret();
        const parsed = parseJsonBody(body);
        if (!parsed.ok) {
          options.log.warn({ provider: providerName, problem: parsed.problem }, "registry webhook refused: unreadable body");
          reply(response, 400, { message: `${parsed.problem}; the ${providerName} receiver reads ${providerName === "generic" ? '{"repository": "ghcr.io/acme/app", "tag": "1.2.3"}' : `${providerName}'s webhook payload`}` });
          return;
        }
        const payload = parsed.value;
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
      });
    } catch (error) {
      if (error instanceof RequestAbortedError) return void response.destroy();
      const refusal = describeBodyRefusal(error, limits.retryAfterSeconds);
      if (!refusal) throw error;
      options.log.warn({ provider: providerName, status: refusal.status }, `registry webhook refused: ${refusal.message}`);
      reply(response, refusal.status, { message: refusal.message }, refusal.headers);
    }
  };
}
