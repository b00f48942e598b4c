import { authorizationCarries } from "../check-secret.js";
import { objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * Stagecoach's own form, for CI jobs and registries without a receiver here:
 * `{"repository": "ghcr.io/acme/app", "tag": "1.2.3", "digest": "sha256:…"}` (tag and digest
 * optional), signed like GitHub's webhooks (`X-Hub-Signature-256: sha256=<hmac of the body>`) or
 * sent with `Authorization: Bearer <secret>`.
 */
export const generic: RegistryWebhookProvider = {
  authentication: "sign the body (X-Hub-Signature-256: sha256=<HMAC-SHA256>) or send Authorization: Bearer <secret>",
  carriesSecret: authorizationCarries,
  signature: { header: "x-hub-signature-256", prefix: "sha256=" },
  parse(payload) {
    const body = objectAt(payload, "body");
    const tag = optionalStringAt(body.tag, "tag");
    const digest = optionalStringAt(body.digest, "digest");
    return [{ repository: stringAt(body.repository, "repository"), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }];
  },
};
