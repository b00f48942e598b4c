import { authorizationCarries } from "../check-secret.js";
import { objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * Azure Container Registry: a webhook's custom headers carry `Authorization: <secret>`. Push
 * events (`action: push`, not `chart_push`, `delete`, `quarantine`) name `target.repository`,
 * `target.tag`, `target.digest`, and `request.host` (`<name>.azurecr.io`).
 */
export const acr: RegistryWebhookProvider = {
  authentication: "add a custom header `Authorization: <secret>` to the ACR webhook",
  carriesSecret: authorizationCarries,
  parse(payload) {
    const body = objectAt(payload, "body");
    if (body.action !== "push") return [];
    const target = objectAt(body.target, "target");
    const host = stringAt(objectAt(body.request, "request").host, "request.host");
    const tag = optionalStringAt(target.tag, "target.tag");
    const digest = optionalStringAt(target.digest, "target.digest");
    return [{ repository: `${host}/${stringAt(target.repository, "target.repository")}`, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }];
  },
  deliveryId: (payload) => (typeof (payload as { id?: unknown }).id === "string" ? (payload as { id: string }).id.slice(0, 200) : undefined),
};
