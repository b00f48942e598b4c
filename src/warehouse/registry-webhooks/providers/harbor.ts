import { authorizationCarries } from "../check-secret.js";
import { arrayAt, objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * Harbor: a webhook policy's "Auth Header" is sent as the Authorization header. Only
 * `PUSH_ARTIFACT` events are pushes; `event_data.resources[].resource_url` is
 * `host/project/repo:tag` (or `@digest`).
 */
export const harbor: RegistryWebhookProvider = {
  authentication: "set the webhook policy's Auth Header to the secret (or `Bearer <secret>`)",
  carriesSecret: authorizationCarries,
  parse(payload) {
    const body = objectAt(payload, "body");
    if (body.type !== "PUSH_ARTIFACT" && body.type !== "pushImage") return [];
    const data = objectAt(body.event_data, "event_data");
    return arrayAt(data.resources, "event_data.resources").map((item, index) => {
      const resource = objectAt(item, `event_data.resources[${index}]`);
      const url = stringAt(resource.resource_url, `event_data.resources[${index}].resource_url`);
      const repository = url.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^/:]+$/, "");
      const tag = optionalStringAt(resource.tag, `event_data.resources[${index}].tag`);
      const digest = optionalStringAt(resource.digest, `event_data.resources[${index}].digest`);
      return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
    });
  },
};
