import { asObject, paginate, resolveCommit, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { appJson, nodeId, userJson } from "../representations.js";
import type { Caller, RepoState } from "../store.js";
import { latestStatuses } from "./statuses.js";

const STATUS_STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"] as const;
type DeploymentStatusName = (typeof STATUS_STATES)[number];

interface DeploymentState {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: Record<string, unknown> | string;
  description: string | null;
  transient: boolean;
  production: boolean;
  creator: string;
  appId: number | undefined;
  createdAt: string;
  updatedAt: string;
}

interface DeploymentStatusState {
  id: number;
  deploymentId: number;
  state: DeploymentStatusName;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  appId: number | undefined;
  createdAt: string;
}

/** Deployments and their statuses: what runs in which stage's environment, with the deliveries they cause. */
export const deploymentRoutes: RouteModule = (context) => {
  const deployments = context.store.collection<DeploymentState>("deployments");
  const statuses = context.store.collection<DeploymentStatusState>("deployment-statuses");
  const repoKey = (repo: RepoState) => `${repo.owner}/${repo.name}`.toLowerCase();
  const deploymentOr404 = (repo: RepoState, id: string) => {
    const deployment = deployments.get(id);
    if (!deployment || deployment.repo !== repoKey(repo)) throw notFound();
    return deployment;
  };
  const appIdOf = (caller: Caller) => (caller.kind === "installation" ? caller.app.id : undefined);
  const statusesOf = (deployment: DeploymentState) => [...statuses.values()].filter((s) => s.deploymentId === deployment.id).sort((a, b) => b.id - a.id);

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/deployments",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.ref !== "string" || !input.ref) throw unprocessable("Validation Failed", [{ resource: "Deployment", field: "ref", code: "missing_field" }]);
        const sha = await resolveCommit(repo, input.ref);
        // Unless told which, every status context on the commit must be green (GitHub's default).
        const latest = latestStatuses(context, repo, sha);
        const required = Array.isArray(input.required_contexts) ? (input.required_contexts as string[]) : [...latest.keys()];
        const failing = required.filter((name) => latest.get(name) !== "success");
        if (failing.length > 0) {
          throw new GitHubHttpError(409, `Conflict: Commit status checks failed for ${input.ref}.`, failing.map((name) => ({ contexts: [{ context: name, state: latest.get(name) ?? "missing" }], resource: "Deployment", field: "required_contexts", code: "invalid" })));
        }
        const environment = typeof input.environment === "string" && input.environment ? input.environment : "production";
        const now = context.store.timestamp();
        const deployment: DeploymentState = {
          id: context.store.nextId(),
          repo: repoKey(repo),
          sha,
          ref: input.ref,
          task: typeof input.task === "string" ? input.task : "deploy",
          environment,
          payload: (input.payload as Record<string, unknown> | string | undefined) ?? {},
          description: typeof input.description === "string" ? input.description : null,
          transient: input.transient_environment === true,
          production: typeof input.production_environment === "boolean" ? input.production_environment : environment === "production",
          creator: context.actor(caller).login,
          appId: appIdOf(caller),
          createdAt: now,
          updatedAt: now,
        };
        deployments.set(String(deployment.id), deployment);
        const json = deploymentJson(context, repo, deployment);
        context.announce(repo, "deployment", { action: "created", deployment: json, workflow: null, workflow_run: null }, context.actor(caller));
        return { status: 201, body: json };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/deployments",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const filters = { sha: query.get("sha"), ref: query.get("ref"), task: query.get("task"), environment: query.get("environment") };
        const all = [...deployments.values()]
          .filter((d) => d.repo === repoKey(repo))
          .filter((d) => (!filters.sha || d.sha === filters.sha) && (!filters.ref || d.ref === filters.ref) && (!filters.task || d.task === filters.task) && (!filters.environment || d.environment === filters.environment))
          .sort((a, b) => b.id - a.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/deployments`);
        return { status: 200, headers: page.headers, body: page.items.map((d) => deploymentJson(context, repo, d)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/deployments/{deployment_id}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: deploymentJson(context, repo, deploymentOr404(repo, params.deployment_id!)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const deployment = deploymentOr404(repo, params.deployment_id!);
        const input = asObject(body);
        if (!STATUS_STATES.includes(input.state as DeploymentStatusName)) {
          throw unprocessable("Validation Failed", [{ resource: "DeploymentStatus", field: "state", code: "invalid" }]);
        }
        const actor = context.actor(caller);
        const status = addStatus(deployment, input.state as DeploymentStatusName, {
          description: typeof input.description === "string" ? input.description.slice(0, 140) : "",
          environment: typeof input.environment === "string" && input.environment ? input.environment : deployment.environment,
          targetUrl: typeof input.target_url === "string" ? input.target_url : typeof input.log_url === "string" ? input.log_url : "",
          logUrl: typeof input.log_url === "string" ? input.log_url : typeof input.target_url === "string" ? input.target_url : "",
          environmentUrl: typeof input.environment_url === "string" ? input.environment_url : "",
          creator: actor.login,
          appId: appIdOf(caller),
        });
        // A successful deployment makes the older ones in its environment inactive, unless asked not to.
        if (status.state === "success" && input.auto_inactive !== false) {
          for (const older of deployments.values()) {
            if (older.id === deployment.id || older.repo !== deployment.repo || older.environment !== status.environment || older.transient) continue;
            if (older.id > deployment.id) continue;
            const current = statusesOf(older)[0];
            if (current && current.state !== "inactive") addStatus(older, "inactive", { ...status, description: "", creator: actor.login });
          }
        }
        return { status: 201, body: deploymentStatusJson(context, repo, deployment, status) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const deployment = deploymentOr404(repo, params.deployment_id!);
        const page = paginate(statusesOf(deployment), query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/deployments/${deployment.id}/statuses`);
        return { status: 200, headers: page.headers, body: page.items.map((s) => deploymentStatusJson(context, repo, deployment, s)) };
      },
    },
  ];

  function addStatus(deployment: DeploymentState, state: DeploymentStatusName, fields: Omit<DeploymentStatusState, "id" | "deploymentId" | "state" | "createdAt">): DeploymentStatusState {
    const status: DeploymentStatusState = { ...fields, id: context.store.nextId(), deploymentId: deployment.id, state, createdAt: context.store.timestamp() };
    statuses.set(String(status.id), status);
    deployment.updatedAt = status.createdAt;
    const repo = [...context.store.repos.values()].find((r) => repoKey(r) === deployment.repo)!;
    const sender = context.store.account(status.creator)!;
    context.announce(
      repo,
      "deployment_status",
      { action: "created", deployment_status: deploymentStatusJson(context, repo, deployment, status), deployment: deploymentJson(context, repo, deployment), check_run: null, workflow: null, workflow_run: null },
      sender,
    );
    return status;
  }
};

function performedBy(context: SandboxContext, appId: number | undefined) {
  const app = appId === undefined ? undefined : context.store.apps.get(appId);
  if (!app) return null;
  const owner = context.store.account(app.owner) ?? { id: 1, login: app.owner, type: "User" as const };
  return appJson(app, owner, context.baseUrl);
}

function deploymentJson(context: SandboxContext, repo: RepoState, deployment: DeploymentState) {
  const repoUrl = `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const url = `${repoUrl}/deployments/${deployment.id}`;
  const creator = context.store.account(deployment.creator);
  return {
    url,
    id: deployment.id,
    node_id: nodeId("Deployment", deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: creator ? userJson(creator, context.baseUrl) : null,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl,
    transient_environment: deployment.transient,
    production_environment: deployment.production,
    performed_via_github_app: performedBy(context, deployment.appId),
  };
}

function deploymentStatusJson(context: SandboxContext, repo: RepoState, deployment: DeploymentState, status: DeploymentStatusState) {
  const repoUrl = `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const deploymentUrl = `${repoUrl}/deployments/${deployment.id}`;
  const creator = context.store.account(status.creator);
  // GitHub's description wants a URI here even when none was given; point at the environment's deployments page.
  const fallback = `${context.baseUrl}/${repo.owner}/${repo.name}/deployments/${encodeURIComponent(status.environment)}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId("DeploymentStatus", status.id),
    state: status.state,
    creator: creator ? userJson(creator, context.baseUrl) : null,
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl || fallback,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: deploymentUrl,
    repository_url: repoUrl,
    ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    log_url: status.logUrl || fallback,
    performed_via_github_app: performedBy(context, status.appId),
  };
}
