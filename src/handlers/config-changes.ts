import type { Context } from "probot";
import { KARGO_CONFIG_DIR, NATIVE_CONFIG_PATH } from "../config/index.js";
import type { HandlerDeps } from "./types.js";

/** Whether a path is part of the pipeline config (the native file or a Kargo manifest). */
export function isConfigPath(path: string): boolean {
  return path === NATIVE_CONFIG_PATH || path.startsWith(`${KARGO_CONFIG_DIR}/`);
}

/** push: when a commit touches the config, check it (and adopt it if it is on the default branch). */
export function onPushTouchingConfig(deps: HandlerDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const { payload } = context;
    if (payload.deleted || !payload.installation || !payload.ref.startsWith("refs/heads/")) return;
    const touched = payload.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some(isConfigPath));
    if (!touched) return;
    const branch = payload.ref.slice("refs/heads/".length);
    await deps.queue.enqueue(
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

/** pull_request: check the config at the head of every pull request that changes it. */
export function onPullRequestTouchingConfig(deps: HandlerDeps) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation) return;
    const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      pull_number: payload.pull_request.number,
      per_page: 100,
    });
    if (!files.some((f) => isConfigPath(f.filename))) return;
    await deps.queue.enqueue(
      "check-config",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        sha: payload.pull_request.head.sha,
        onDefaultBranch: false,
      },
      { jobId: `${context.id}:check-config` },
    );
  };
}
