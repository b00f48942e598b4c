import { authorizationCarries } from "../check-secret.js";
import { arrayAt, objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryPush, RegistryWebhookProvider } from "../types.js";

const MANIFEST_TYPES = new Set([
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
]);

/**
 * CNCF Distribution (the `registry` binary, and registries built on it): the `notifications`
 * endpoint's `headers` carry `Authorization: <secret>`. The envelope holds `events[]`; a push of a
 * manifest (not a blob, not a pull) with `target.repository`, `target.tag`, `target.digest`, and
 * `request.host` naming the registry.
 */
export const distribution: RegistryWebhookProvider = {
  authentication: "add `Authorization: [<secret>]` to the endpoint's headers in the registry's notifications config",
  carriesSecret: authorizationCarries,
  parse(payload) {
    const events = arrayAt(objectAt(payload, "body").events, "events");
    const pushes: RegistryPush[] = [];
    events.forEach((item, index) => {
      const event = objectAt(item, `events[${index}]`);
      if (event.action !== "push") return;
      const target = objectAt(event.target, `events[${index}].target`);
      const mediaType = optionalStringAt(target.mediaType, `events[${index}].target.mediaType`);
      if (mediaType && !MANIFEST_TYPES.has(mediaType)) return;
      const host = stringAt(objectAt(event.request, `events[${index}].request`).host, `events[${index}].request.host`);
      const repository = stringAt(target.repository, `events[${index}].target.repository`);
      const tag = optionalStringAt(target.tag, `events[${index}].target.tag`);
      const digest = optionalStringAt(target.digest, `events[${index}].target.digest`);
      pushes.push({ repository: `${host}/${repository}`, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
    });
    return pushes;
  },
  deliveryId(payload) {
    const events = (payload as { events?: { id?: unknown }[] }).events;
    const ids = Array.isArray(events) ? events.map((e) => (typeof e?.id === "string" ? e.id : "")).filter(Boolean) : [];
    return ids.length > 0 ? ids.join(",").slice(0, 200) : undefined;
  },
};
