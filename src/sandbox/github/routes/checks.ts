import { asObject, paginate, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { appJson, nodeId } from "../representations.js";
import type { Caller, RepoState, SandboxApp } from "../store.js";

interface CheckRunState {
  id: number;
  repo: string;
  appId: number;
  headSha: string;
  name: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Array<Record<string, unknown>> };
}

/** Check runs: what the App reports on commits (config validation, verification of freight). */
export const checkRoutes: RouteModule = (context) => {
  const runs = context.store.collection<CheckRunState>("check-runs");
  const appOf = (caller: Caller): SandboxApp => {
    if (caller.kind !== "installation") throw new GitHubHttpError(403, "You must authenticate via a GitHub App.");
    return caller.app;
  };
  const find = (repo: RepoState, id: string) => {
    const run = runs.get(id);
    if (!run || run.repo !== `${repo.owner}/${repo.name}`.toLowerCase()) throw notFound();
    return run;
  };
  const applyOutput = (run: CheckRunState, output: unknown) => {
    if (!output) return;
    const o = output as Record<string, unknown>;
    run.output.title = (o.title as string) ?? run.output.title;
    run.output.summary = (o.summary as string) ?? run.output.summary;
    run.output.text = (o.text as string) ?? run.output.text;
    // GitHub appends annotations across updates rather than replacing them.
    if (Array.isArray(o.annotations)) run.output.annotations.push(...(o.annotations as Array<Record<string, unknown>>));
  };

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/check-runs",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const app = appOf(caller);
        const input = asObject(body);
        if ((await repo.git.objectType(String(input.head_sha))) !== "commit") throw unprocessable("No commit found for SHA: " + String(input.head_sha));
        const now = context.store.timestamp();
        const completed = input.status === "completed" || input.conclusion !== undefined;
        const run: CheckRunState = {
          id: context.store.nextId(),
          repo: `${repo.owner}/${repo.name}`.toLowerCase(),
          appId: app.id,
          headSha: String(input.head_sha),
          name: String(input.name),
          status: completed ? "completed" : String(input.status ?? "queued"),
          conclusion: (input.conclusion as string | undefined) ?? null,
          detailsUrl: (input.details_url as string | undefined) ?? null,
          externalId: (input.external_id as string | undefined) ?? null,
          startedAt: (input.started_at as string | undefined) ?? now,
          completedAt: completed ? ((input.completed_at as string | undefined) ?? now) : null,
          output: { title: null, summary: null, text: null, annotations: [] },
        };
        applyOutput(run, input.output);
        runs.set(String(run.id), run);
        const json = checkRunJson(context, repo, run);
        context.announce(repo, "check_run", { action: "created", check_run: json }, context.actor(caller));
        if (run.status === "completed") context.announce(repo, "check_run", { action: "completed", check_run: json }, context.actor(caller));
        return { status: 201, body: json };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const app = appOf(caller);
        const run = find(repo, params.check_run_id!);
        if (run.appId !== app.id) throw new GitHubHttpError(403, "Invalid app_id `" + app.id + "` - check run can only be modified by the GitHub App that created it.");
        const input = asObject(body);
        const wasCompleted = run.status === "completed";
        if (typeof input.name === "string") run.name = input.name;
        if (typeof input.status === "string") run.status = input.status;
        if (typeof input.conclusion === "string") {
          run.conclusion = input.conclusion;
          run.status = "completed";
        }
        if (run.status === "completed") run.completedAt ??= (input.completed_at as string | undefined) ?? context.store.timestamp();
        applyOutput(run, input.output);
        const json = checkRunJson(context, repo, run);
        if (!wasCompleted && run.status === "completed") context.announce(repo, "check_run", { action: "completed", check_run: json }, context.actor(caller));
        return { status: 200, body: json };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: checkRunJson(context, repo, find(repo, params.check_run_id!)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const run = find(repo, params.check_run_id!);
        const page = paginate(run.output.annotations, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}/annotations`);
        return {
          status: 200,
          headers: page.headers,
          body: page.items.map((a) => ({
            path: a.path,
            start_line: a.start_line,
            end_line: a.end_line,
            start_column: a.start_column ?? null,
            end_column: a.end_column ?? null,
            annotation_level: a.annotation_level ?? null,
            title: a.title ?? null,
            message: a.message ?? null,
            raw_details: a.raw_details ?? null,
            blob_href: `${context.baseUrl}/${repo.owner}/${repo.name}/blob/${run.headSha}/${String(a.path)}`,
          })),
        };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const sha = /^[0-9a-f]{40}$/.test(params.ref!) ? params.ref! : await repo.git.resolve(params.ref!.startsWith("refs/") ? params.ref! : `refs/heads/${params.ref}`);
        const name = query.get("check_name");
        const all = [...runs.values()]
          .filter((r) => r.repo === `${repo.owner}/${repo.name}`.toLowerCase() && r.headSha === sha && (!name || r.name === name))
          .sort((a, b) => b.id - a.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${params.ref}/check-runs`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, check_runs: page.items.map((r) => checkRunJson(context, repo, r)) } };
      },
    },
  ];
};

function checkRunJson(context: SandboxContext, repo: RepoState, run: CheckRunState) {
  const app = context.store.apps.get(run.appId)!;
  const owner = context.store.account(app.owner) ?? { id: 1, login: app.owner, type: "User" as const };
  const url = `${context.baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId,
    url,
    html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id },
    app: appJson(app, owner, context.baseUrl),
    pull_requests: [],
  };
}
