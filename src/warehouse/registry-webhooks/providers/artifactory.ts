import { header, hmacMatches } from "../check-secret.js";
import { objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * JFrog Artifactory: a webhook with a secret token and payload signing sends the HMAC-SHA256 of the
 * body (hex) in `X-JFrog-Event-Auth`. Docker `pushed` events name `data.repo_key`,
 * `data.image_name` and `data.tag`; the image repository is `<origin host>/<repo_key>/<image_name>`
 * (Artifactory's repository-path access method), the host taken from `jpd_origin`.
 */
export const artifactory: RegistryWebhookProvider = {
  authentication: "set the webhook's secret token and enable payload signing (X-JFrog-Event-Auth)",
  authenticate: (request, secret) => hmacMatches(header(request, "x-jfrog-event-auth"), request.body, secret),
  parse(payload) {
    const body = objectAt(payload, "body");
    if (body.domain !== "docker" || body.event_type !== "pushed") return [];
    const data = objectAt(body.data, "data");
    const origin = stringAt(body.jpd_origin, "jpd_origin");
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = origin.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
    }
    const tag = optionalStringAt(data.tag, "data.tag");
    const sha = optionalStringAt(data.sha256, "data.sha256");
    return [{ repository: `${host}/${stringAt(data.repo_key, "data.repo_key")}/${stringAt(data.image_name, "data.image_name")}`, ...(tag ? { tag } : {}), ...(sha ? { digest: `sha256:${sha}` } : {}) }];
  },
};
