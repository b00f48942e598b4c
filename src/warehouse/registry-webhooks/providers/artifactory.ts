import { objectAt, optionalStringAt, stringAt } from "../read-payload.js";
import { PayloadError, type RegistryWebhookProvider } from "../types.js";

/**
 * The image's path inside its Artifactory repository. `image_name` is only the last part of it for
 * nested images (a push of `docker-local/team/app:1.4.0` says `image_name: "app"`), so the path
 * comes from `data.path`, `<image path>/<tag>/<manifest file>`, checked against `image_name` and
 * `tag` so that a path of another shape is refused rather than guessed at.
 */
function imagePathOf(data: Record<string, unknown>): string {
  const path = stringAt(data.path, "data.path");
  const imageName = stringAt(data.image_name, "data.image_name");
  const tag = optionalStringAt(data.tag, "data.tag");
  const parts = path.split("/");
  const imagePath = parts.slice(0, -2).join("/");
  const fits = parts.length >= 3 && parts.every((part) => part.length > 0) && (tag === undefined || parts.at(-2) === tag) && (imagePath === imageName || imagePath.endsWith(`/${imageName}`));
  if (!fits) throw new PayloadError(`data.path "${path}" is not <image path>/<tag>/<manifest> for image_name "${imageName}"`);
  return imagePath;
}

/**
 * JFrog Artifactory: a webhook with a secret token and payload signing sends the HMAC-SHA256 of the
 * body (hex) in `X-JFrog-Event-Auth`. Docker `pushed` events name `data.repo_key`, `data.path`,
 * `data.image_name` and `data.tag`; the image repository is `<origin host>/<repo_key>/<image path>`
 * (Artifactory's repository-path access method), the host taken from `jpd_origin`.
 */
export const artifactory: RegistryWebhookProvider = {
  authentication: "set the webhook's secret token and enable payload signing (X-JFrog-Event-Auth)",
  signature: { header: "x-jfrog-event-auth", prefix: "" },
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
    return [{ repository: `${host}/${stringAt(data.repo_key, "data.repo_key")}/${imagePathOf(data)}`, ...(tag ? { tag } : {}), ...(sha ? { digest: `sha256:${sha}` } : {}) }];
  },
};
