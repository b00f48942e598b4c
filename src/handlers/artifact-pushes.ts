import type { Context } from "probot";
import { artifactKey } from "../warehouse/subscription-index.js";
import type { HandlerDeps } from "./types.js";

/**
 * push: a branch or tag moved in a repository some warehouse may subscribe to (git
 * subscriptions). The repository's URLs in every form users write them become index keys.
 */
export function onPushToSubscribedRepository(deps: HandlerDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const { payload } = context;
    if (payload.deleted || !/^refs\/(heads|tags)\//.test(payload.ref)) return;
    const urls = [payload.repository.html_url, payload.repository.clone_url, payload.repository.ssh_url].filter((u): u is string => typeof u === "string" && u.length > 0);
    await deps.enqueue("refresh-subscribers", { keys: [...new Set(urls.map(artifactKey.git))], source: "github:push", deliveryId: context.id }, { jobId: `${context.id}:refresh` });
  };
}

interface PackagePayload {
  name?: string;
  namespace?: string;
  package_type?: string;
  owner?: { login?: string };
}

/**
 * registry_package / package: a container image was published to GHCR. The image repository is
 * `ghcr.io/<namespace>/<name>` (lower case, as GHCR names are).
 */
export function onContainerPackagePublished(deps: HandlerDeps) {
  return async (context: Context<"registry_package" | "package">): Promise<void> => {
    const payload = context.payload as unknown as { registry_package?: PackagePayload; package?: PackagePayload };
    const pkg = payload.registry_package ?? payload.package;
    if (!pkg?.name || (pkg.package_type ?? "").toLowerCase() !== "container") return;
    const namespace = pkg.namespace ?? pkg.owner?.login;
    if (!namespace) return;
    const repository = `ghcr.io/${namespace}/${pkg.name}`.toLowerCase();
    await deps.enqueue("refresh-subscribers", { keys: [artifactKey.image(repository)], source: `github:${context.name}`, deliveryId: context.id }, { jobId: `${context.id}:refresh` });
  };
}
