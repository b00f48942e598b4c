import type { Context } from "probot";
import type { HandlerDeps } from "./types.js";

/** installation.* and installation_repositories.*: hand the installation to a sync job. */
export function onInstallationChange(deps: HandlerDeps) {
  return async (context: Context<"installation" | "installation_repositories">): Promise<void> => {
    const installationId = context.payload.installation.id;
    const result = await deps.enqueue(
      "sync-installation",
      { installationId, action: context.payload.action },
      { jobId: `${context.id}:sync-installation` },
    );
    context.log.info(
      { installationId, job: result.id },
      result.duplicate ? "delivery already handled; ignoring the redelivery" : `${context.name}.${context.payload.action}: sync queued`,
    );
  };
}
