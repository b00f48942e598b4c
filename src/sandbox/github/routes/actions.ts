import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { asObject, paginate, resolveCommit, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { nodeId, userJson } from "../representations.js";
import type { Account, RepoState } from "../store.js";

/** A workflow file in `.github/workflows/` on the default branch. */
interface Workflow {
  id: number;
  name: string;
  path: string;
  dispatchable: boolean;
}

export type WorkflowConclusion = "success" | "failure" | "cancelled" | "neutral" | "skipped" | "timed_out" | "action_required";

export interface WorkflowRunState {
  id: number;
  repo: string;
  workflowId: number;
  workflowPath: string;
  name: string;
  runNumber: number;
  event: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: WorkflowConclusion | null;
  headBranch: string | null;
  headSha: string;
  actor: string;
  inputs: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/**
 * `repository_dispatch` and GitHub Actions as far as Stagecoach uses them: workflows read from
 * the repository, workflow_dispatch starting a run, and runs whose outcome the test decides
 * (`GitHubSandbox.completeWorkflowRun`, or an outcome set in advance per workflow). No job runs.
 */
export const actionRoutes: RouteModule = (context) => {
  const runs = context.store.collection<WorkflowRunState>("workflow-runs");
  const repoKey = (repo: RepoState) => `${repo.owner}/${repo.name}`.toLowerCase();
  const workflowOr404 = async (repo: RepoState, idOrFile: string) => {
    const workflow = (await readWorkflows(repo)).find((w) => String(w.id) === idOrFile || w.path.split("/").pop() === idOrFile);
    if (!workflow) throw notFound();
    return workflow;
  };
  const runOr404 = (repo: RepoState, id: string) => {
    const run = runs.get(id);
    if (!run || run.repo !== repoKey(repo)) throw notFound();
    return run;
  };
  const listRuns = (repo: RepoState, query: URLSearchParams, workflowId?: number) =>
    [...runs.values()]
      .filter((r) => r.repo === repoKey(repo) && (workflowId === undefined || r.workflowId === workflowId))
      .filter((r) => !query.get("event") || r.event === query.get("event"))
      .filter((r) => !query.get("branch") || r.headBranch === query.get("branch"))
      .filter((r) => !query.get("head_sha") || r.headSha === query.get("head_sha"))
      .filter((r) => !query.get("status") || r.status === query.get("status") || r.conclusion === query.get("status"))
      .sort((a, b) => b.id - a.id);

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/dispatches",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.event_type !== "string" || input.event_type.length === 0 || input.event_type.length > 100) {
          throw unprocessable("Invalid request.\n\nFor 'properties/event_type', it must be a string of 1 to 100 characters.");
        }
        const payload = input.client_payload ?? {};
        if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw unprocessable("Invalid request.\n\nFor 'properties/client_payload', it is not an object.");
        if (Object.keys(payload).length > 10) throw unprocessable("Invalid request.\n\nNo more than 10 properties are allowed; client_payload has more.");
        context.announce(repo, "repository_dispatch", { action: input.event_type, branch: repo.defaultBranch, client_payload: payload }, context.actor(caller));
        return { status: 204 };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/actions/workflows",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const all = await readWorkflows(repo);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/actions/workflows`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, workflows: page.items.map((w) => workflowJson(context, repo, w)) } };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: workflowJson(context, repo, await workflowOr404(repo, params.workflow_id!)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const workflow = await workflowOr404(repo, params.workflow_id!);
        const input = asObject(body);
        if (typeof input.ref !== "string" || !input.ref) throw unprocessable("Invalid request.\n\n\"ref\" wasn't supplied.");
        if (!workflow.dispatchable) throw unprocessable("Workflow does not have 'workflow_dispatch' trigger");
        const inputs = input.inputs ?? {};
        if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) throw unprocessable("Invalid request.\n\nFor 'properties/inputs', it is not an object.");
        let headSha: string;
        try {
          headSha = await resolveCommit(repo, input.ref);
        } catch {
          throw unprocessable(`No ref found for: ${input.ref}`);
        }
        const run = await startWorkflowRun(context, repo, workflow, {
          event: "workflow_dispatch",
          headBranch: input.ref.replace(/^refs\/heads\//, ""),
          headSha,
          actor: context.actor(caller),
          inputs: inputs as Record<string, unknown>,
        });
        if (input.return_run_details === true) {
          const json = workflowRunJson(context, repo, run);
          return { status: 200, body: { workflow_run_id: run.id, run_url: json.url, html_url: json.html_url } };
        }
        return { status: 204 };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/actions/runs",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const all = listRuns(repo, query);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/actions/runs`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, workflow_runs: page.items.map((r) => workflowRunJson(context, repo, r)) } };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const workflow = await workflowOr404(repo, params.workflow_id!);
        const all = listRuns(repo, query, workflow.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/actions/workflows/${workflow.id}/runs`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, workflow_runs: page.items.map((r) => workflowRunJson(context, repo, r)) } };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/actions/runs/{run_id}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: workflowRunJson(context, repo, runOr404(repo, params.run_id!)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/actions/runs/{run_id}/cancel",
      auth: "token",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const run = runOr404(repo, params.run_id!);
        if (run.status === "completed") throw new GitHubHttpError(409, "Cannot cancel a workflow run that is completed.");
        finishWorkflowRun(context, repo, run, "cancelled", context.actor(caller));
        return { status: 202, body: {} };
      },
    },
  ];
};

/** Outcomes a test set in advance: `owner/repo:path` → conclusion every new run of that workflow ends with. */
const presetOutcomes = new WeakMap<SandboxContext, Map<string, WorkflowConclusion>>();

export function presetWorkflowOutcome(context: SandboxContext, repo: RepoState, workflowFile: string, conclusion: WorkflowConclusion | undefined): void {
  let outcomes = presetOutcomes.get(context);
  if (!outcomes) presetOutcomes.set(context, (outcomes = new Map()));
  const key = `${repo.owner}/${repo.name}:${workflowFile.split("/").pop()}`.toLowerCase();
  if (conclusion) outcomes.set(key, conclusion);
  else outcomes.delete(key);
}

async function startWorkflowRun(
  context: SandboxContext,
  repo: RepoState,
  workflow: Workflow,
  input: { event: string; headBranch: string | null; headSha: string; actor: Account; inputs: Record<string, unknown> },
): Promise<WorkflowRunState> {
  const runs = context.store.collection<WorkflowRunState>("workflow-runs");
  const now = context.store.timestamp();
  const previous = [...runs.values()].filter((r) => r.repo === `${repo.owner}/${repo.name}`.toLowerCase() && r.workflowId === workflow.id).length;
  const run: WorkflowRunState = {
    id: context.store.nextId(),
    repo: `${repo.owner}/${repo.name}`.toLowerCase(),
    workflowId: workflow.id,
    workflowPath: workflow.path,
    name: workflow.name,
    runNumber: previous + 1,
    event: input.event,
    status: "queued",
    conclusion: null,
    headBranch: input.headBranch,
    headSha: input.headSha,
    actor: input.actor.login,
    inputs: input.inputs,
    createdAt: now,
    updatedAt: now,
  };
  runs.set(String(run.id), run);
  context.announce(repo, "workflow_run", { action: "requested", workflow_run: workflowRunJson(context, repo, run), workflow: workflowJson(context, repo, workflow) }, input.actor);
  const preset = presetOutcomes.get(context)?.get(`${repo.owner}/${repo.name}:${workflow.path.split("/").pop()}`.toLowerCase());
  if (preset) finishWorkflowRun(context, repo, run, preset, input.actor);
  return run;
}

/** Moves a run through in_progress to completed with `conclusion`, sending the deliveries GitHub sends. */
export function finishWorkflowRun(context: SandboxContext, repo: RepoState, run: WorkflowRunState, conclusion: WorkflowConclusion, sender: Account): void {
  if (run.status === "completed") throw new GitHubHttpError(409, `workflow run ${run.id} is already completed (${run.conclusion})`);
  const workflow: Workflow = { id: run.workflowId, name: run.name, path: run.workflowPath, dispatchable: true };
  if (run.status === "queued") {
    run.status = "in_progress";
    run.updatedAt = context.store.timestamp();
    context.announce(repo, "workflow_run", { action: "in_progress", workflow_run: workflowRunJson(context, repo, run), workflow: workflowJson(context, repo, workflow) }, sender);
  }
  run.status = "completed";
  run.conclusion = conclusion;
  run.updatedAt = context.store.timestamp();
  context.announce(repo, "workflow_run", { action: "completed", workflow_run: workflowRunJson(context, repo, run), workflow: workflowJson(context, repo, workflow) }, sender);
}

/** Workflows are the YAML files under .github/workflows on the default branch; the ID is stable per path. */
async function readWorkflows(repo: RepoState): Promise<Workflow[]> {
  const sha = await repo.git.refSha(`refs/heads/${repo.defaultBranch}`);
  if (!sha) return [];
  let names: string[];
  try {
    names = (await repo.git.text(["ls-tree", "--name-only", `${sha}:.github/workflows`])).split("\n").filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return [];
  }
  const workflows: Workflow[] = [];
  for (const name of names) {
    const path = `.github/workflows/${name}`;
    let document: Record<string, unknown> = {};
    try {
      const parsed: unknown = parseYaml((await repo.git.git(["show", `${sha}:${path}`])).toString("utf8"));
      if (parsed && typeof parsed === "object") document = parsed as Record<string, unknown>;
    } catch {
      // GitHub still lists a workflow file it cannot parse; it just never runs.
    }
    const on = document.on;
    const dispatchable = on === "workflow_dispatch" || (Array.isArray(on) && on.includes("workflow_dispatch")) || (typeof on === "object" && on !== null && !Array.isArray(on) && "workflow_dispatch" in on);
    workflows.push({ id: createHash("sha256").update(path).digest().readUInt32BE(0) & 0x7fffffff, name: typeof document.name === "string" ? document.name : path, path, dispatchable });
  }
  return workflows;
}

function workflowJson(context: SandboxContext, repo: RepoState, workflow: Workflow) {
  return {
    id: workflow.id,
    node_id: nodeId("Workflow", workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: "active",
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/actions/workflows/${workflow.id}`,
    html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${context.baseUrl}/${repo.owner}/${repo.name}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

function workflowRunJson(context: SandboxContext, repo: RepoState, run: WorkflowRunState) {
  const repoUrl = `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const url = `${repoUrl}/actions/runs/${run.id}`;
  const actor = context.store.account(run.actor) ?? { id: 1, login: run.actor, type: "User" as const };
  const repository = context.repositoryPayload(repo);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("WorkflowRun", run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflowPath,
    display_title: run.name,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url,
    html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.createdAt,
    actor: userJson(actor, context.baseUrl),
    triggering_actor: userJson(actor, context.baseUrl),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${repoUrl}/check-suites/${run.id}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${repoUrl}/actions/workflows/${run.workflowId}`,
    head_commit: null,
    repository,
    head_repository: repository,
  };
}
