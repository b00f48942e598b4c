import { secretsEqual } from "../check-secret.js";
import { arrayAt, objectAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * Quay: repository-push notifications cannot be signed, so the secret ends the URL
 * (`/api/registry-webhooks/quay/<secret>`). Payload: `docker_url` (`quay.io/ns/repo`) and
 * `updated_tags`.
 */
export const quay: RegistryWebhookProvider = {
  authentication: "put the secret at the end of the notification URL: /api/registry-webhooks/quay/<secret>",
  carriesSecret: (request, secret) => secretsEqual(request.pathToken, secret),
  parse(payload) {
    const body = objectAt(payload, "body");
    const repository = stringAt(body.docker_url, "docker_url");
    const tags = body.updated_tags === undefined ? [] : arrayAt(body.updated_tags, "updated_tags").map((t, i) => stringAt(t, `updated_tags[${i}]`));
    return tags.length === 0 ? [{ repository }] : tags.map((tag) => ({ repository, tag }));
  },
};
