import { asObject, paginate, resolveCommit, type RouteModule, type SandboxContext } from "../context.js";
import { unprocessable } from "../http-error.js";
import { commitJson, nodeId, userJson } from "../representations.js";
import type { RepoState } from "../store.js";

const STATES = ["error", "failure", "pending", "success"] as const;
type StatusStateName = (typeof STATES)[number];

interface CommitStatusState {
  id: number;
  repo: string;
  sha: string;
  state: StatusStateName;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

/** Commit statuses (`stagecoach/approval` on freight and merge commits) and the combined status. */
export const statusRoutes: RouteModule = (context) => {
  const statuses = context.store.collection<CommitStatusState>("commit-statuses");
  const forCommit = (repo: RepoState, sha: string) =>
    [...statuses.values()].filter((s) => s.repo === `${repo.owner}/${repo.name}`.toLowerCase() && s.sha === sha).sort((a, b) => b.id - a.id);

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/statuses/{sha}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (!STATES.includes(input.state as StatusStateName)) {
          throw unprocessable("Validation Failed", [{ resource: "Status", field: "state", code: "custom", message: `state is not included in the list` }]);
        }
        const sha = params.sha!;
        if (!/^[0-9a-f]{40}$/.test(sha) || (await repo.git.objectType(sha)) !== "commit") throw unprocessable(`No commit found for SHA: ${sha}`);
        const description = typeof input.description === "string" ? input.description : null;
        // GitHub cuts descriptions at 140 characters rather than refusing them.
        const status: CommitStatusState = {
          id: context.store.nextId(),
          repo: `${repo.owner}/${repo.name}`.toLowerCase(),
          sha,
          state: input.state as StatusStateName,
          context: typeof input.context === "string" && input.context ? input.context : "default",
          description: description === null ? null : description.slice(0, 140),
          targetUrl: typeof input.target_url === "string" ? input.target_url : null,
          creator: context.actor(caller).login,
          createdAt: context.store.timestamp(),
        };
        statuses.set(String(status.id), status);
        const json = statusJson(context, repo, status);
        const branches = (await repo.git.refs("refs/heads/"))
          .filter((r) => r.sha === sha)
          .map((r) => ({ name: r.ref.slice("refs/heads/".length), commit: { sha, url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}` }, protected: false }));
        context.announce(
          repo,
          "status",
          {
            id: status.id,
            sha,
            name: `${repo.owner}/${repo.name}`,
            target_url: status.targetUrl,
            avatar_url: json.avatar_url,
            context: status.context,
            description: status.description,
            state: status.state,
            commit: commitJson(repo, await repo.git.readCommit(sha), context.baseUrl),
            branches,
            created_at: status.createdAt,
            updated_at: status.createdAt,
          },
          context.actor(caller),
        );
        return { status: 201, body: json };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits/{ref}/statuses",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const all = forCommit(repo, await resolveCommit(repo, params.ref!));
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${params.ref}/statuses`);
        return { status: 200, headers: page.headers, body: page.items.map((s) => statusJson(context, repo, s)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits/{ref}/status",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const sha = await resolveCommit(repo, params.ref!);
        const latest = new Map<string, CommitStatusState>();
        for (const status of forCommit(repo, sha)) if (!latest.has(status.context)) latest.set(status.context, status);
        const list = [...latest.values()];
        return {
          status: 200,
          body: {
            state: combinedState(list.map((s) => s.state)),
            sha,
            total_count: list.length,
            statuses: list.map((s) => {
              const { creator: _creator, ...rest } = statusJson(context, repo, s);
              return rest;
            }),
            repository: context.repositoryPayload(repo),
            commit_url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
            url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}/status`,
          },
        };
      },
    },
  ];
};

/** The newest status of each context on a commit (what the combined status and deployments look at). */
export function latestStatuses(context: SandboxContext, repo: RepoState, sha: string): Map<string, StatusStateName> {
  const latest = new Map<string, StatusStateName>();
  const all = [...context.store.collection<CommitStatusState>("commit-statuses").values()]
    .filter((s) => s.repo === `${repo.owner}/${repo.name}`.toLowerCase() && s.sha === sha)
    .sort((a, b) => b.id - a.id);
  for (const status of all) if (!latest.has(status.context)) latest.set(status.context, status.state);
  return latest;
}

/** GitHub's rule: any error or failure fails; otherwise anything pending (or nothing at all) is pending. */
export function combinedState(states: StatusStateName[]): "failure" | "pending" | "success" {
  if (states.some((s) => s === "error" || s === "failure")) return "failure";
  if (states.length === 0 || states.some((s) => s === "pending")) return "pending";
  return "success";
}

function statusJson(context: SandboxContext, repo: RepoState, status: CommitStatusState) {
  const creator = context.store.account(status.creator);
  return {
    url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/statuses/${status.sha}`,
    avatar_url: `${context.baseUrl}/_sandbox/avatars/${encodeURIComponent(status.creator)}`,
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: creator ? userJson(creator, context.baseUrl) : null,
  };
}
