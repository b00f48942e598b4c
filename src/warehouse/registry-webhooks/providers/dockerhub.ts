import { secretsEqual } from "../check-secret.js";
import { objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import type { RegistryWebhookProvider } from "../types.js";

/**
 * Docker Hub: webhooks cannot be signed or carry headers, so the secret is the last segment of
 * the URL (`/api/registry-webhooks/dockerhub/<secret>`). Payload: `repository.repo_name`
 * (`acme/app`, or `nginx` for official images) and `push_data.tag`.
 */
export const dockerhub: RegistryWebhookProvider = {
  authentication: "put the secret at the end of the webhook URL: /api/registry-webhooks/dockerhub/<secret>",
  carriesSecret: (request, secret) => secretsEqual(request.pathToken, secret),
  parse(payload) {
    const body = objectAt(payload, "body");
    const name = stringAt(objectAt(body.repository, "repository").repo_name, "repository.repo_name");
    const tag = optionalStringAt(objectAt(body.push_data ?? {}, "push_data").tag, "push_data.tag");
    return [{ repository: `docker.io/${name.includes("/") ? name : `library/${name}`}`, ...(tag ? { tag } : {}) }];
  },
};
