import type { Context } from "probot";
import { isConfigPath } from "../jobs/config/check-config.js";
import type { HandlerDeps } from "./types.js";

/** push: when a commit touches the config, check it (and adopt it if it is on the default branch). */
export function onPushTouchingConfig(deps: HandlerDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const { payload } = context;
    if (payload.deleted || !payload.installation || !payload.ref.startsWith("refs/heads/")) return;
    const touched = payload.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some(isConfigPath));
    if (!touched) return;
    const branch = payload.ref.slice("refs/heads/".length);
    await deps.enqueue(
      "check-config",
      {
        installationId: payload.installation.id,
        owner: payload.repository.full_name.split("/")[0]!,
        repo: payload.repository.name,
        sha: payload.after,
        onDefaultBranch: branch === payload.repository.default_branch,
      },
      { jobId: `${context.id}:check-config` },
    );
  };
}

/**
 * pull_request: check the config at the head of a pull request that changes it. Which files it
 * changes is not in the payload; the job asks GitHub, so that this answers without calling it.
 */
export function onPullRequestTouchingConfig(deps: HandlerDeps) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation) return;
    await deps.enqueue(
      "check-config",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        sha: payload.pull_request.head.sha,
        onDefaultBranch: false,
        pullNumber: payload.pull_request.number,
      },
      { jobId: `${context.id}:check-config` },
    );
  };
}
