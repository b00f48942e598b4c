import { asObject, paginate, resolveCommit, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { appJson, nodeId, userJson } from "../representations.js";
import type { Caller, RepoState, SandboxApp } from "../store.js";

interface CheckRunState {
  id: number;
  suiteId: number;
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

/** One suite per App and commit, as GitHub groups check runs; its conclusion follows from its runs. */
interface CheckSuiteState {
  id: number;
  repo: string;
  appId: number;
  headSha: string;
  headBranch: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the suite is completed; a new run (or a re-request) opens it again. */
  completed: boolean;
}

/** Conclusions that make the whole suite fail, in GitHub's order of precedence. */
const FAILING = ["action_required", "cancelled", "timed_out", "failure", "startup_failure", "stale"];

/**
 * Check runs and suites: what the App reports on commits (config validation, verification of
 * freight), with `check_run` and `check_suite` deliveries, re-requests included.
 */
export const checkRoutes: RouteModule = (context) => {
  const runs = context.store.collection<CheckRunState>("check-runs");
  const suites = context.store.collection<CheckSuiteState>("check-suites");
  const repoKey = (repo: RepoState) => `${repo.owner}/${repo.name}`.toLowerCase();
  const suiteFor = async (repo: RepoState, appId: number, headSha: string): Promise<CheckSuiteState> => {
    const existing = [...suites.values()].find((s) => s.repo === repoKey(repo) && s.appId === appId && s.headSha === headSha);
    if (existing) return existing;
    const branch = (await repo.git.refs("refs/heads/")).find((r) => r.sha === headSha);
    const now = context.store.timestamp();
    const suite: CheckSuiteState = { id: context.store.nextId(), repo: repoKey(repo), appId, headSha, headBranch: branch ? branch.ref.slice("refs/heads/".length) : null, createdAt: now, updatedAt: now, completed: false };
    suites.set(String(suite.id), suite);
    return suite;
  };
  const runsOf = (suite: CheckSuiteState) => [...runs.values()].filter((r) => r.suiteId === suite.id);
  /** Sends check_suite.completed the moment the last of a suite's runs completes. */
  const settleSuite = async (repo: RepoState, suite: CheckSuiteState, caller: Caller) => {
    suite.updatedAt = context.store.timestamp();
    const all = runsOf(suite);
    const done = all.length > 0 && all.every((r) => r.status === "completed");
    if (done && !suite.completed) {
      suite.completed = true;
      context.announce(repo, "check_suite", { action: "completed", check_suite: await checkSuiteJson(context, repo, suite, all) }, context.actor(caller));
    } else if (!done) {
      suite.completed = false;
    }
  };
  const suiteOr404 = (repo: RepoState, id: string) => {
    const suite = suites.get(id);
    if (!suite || suite.repo !== repoKey(repo)) throw notFound();
    return suite;
  };
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
        const suite = await suiteFor(repo, app.id, String(input.head_sha));
        const run: CheckRunState = {
          id: context.store.nextId(),
          suiteId: suite.id,
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
        await settleSuite(repo, suite, caller);
        return { status: 201, body: json };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
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
        await settleSuite(repo, suites.get(String(run.suiteId))!, caller);
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
        const status = query.get("status");
        const appId = query.get("app_id");
        const matching = [...runs.values()]
          .filter((r) => r.repo === `${repo.owner}/${repo.name}`.toLowerCase() && r.headSha === sha && (!name || r.name === name))
          .filter((r) => (!status || r.status === status) && (!appId || String(r.appId) === appId))
          .sort((a, b) => b.id - a.id);
        // GitHub's default filter, "latest", keeps only the newest run of each name in each suite.
        const seen = new Set<string>();
        const all = query.get("filter") === "all" ? matching : matching.filter((r) => !seen.has(`${r.suiteId}/${r.name}`) && seen.add(`${r.suiteId}/${r.name}`));
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${params.ref}/check-runs`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, check_runs: page.items.map((r) => checkRunJson(context, repo, r)) } };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest",
      auth: "token",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const run = find(repo, params.check_run_id!);
        // GitHub lets anyone with write access ask the App that owns the run to run it again.
        const app = context.store.apps.get(run.appId)!;
        for (const installation of context.store.installationsCovering(repo).filter((i) => i.appId === app.id)) {
          context.webhooks.send(app, "check_run", { action: "rerequested", check_run: checkRunJson(context, repo, run), repository: context.repositoryPayload(repo), sender: userJsonOf(context, caller) }, installation.id);
        }
        return { status: 201, body: {} };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/check-suites/{check_suite_id}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const suite = suiteOr404(repo, params.check_suite_id!);
        return { status: 200, body: await checkSuiteJson(context, repo, suite, runsOf(suite)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits/{ref}/check-suites",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const sha = await resolveCommit(repo, params.ref!);
        const appId = query.get("app_id");
        const checkName = query.get("check_name");
        const all = [...suites.values()]
          .filter((s) => s.repo === repoKey(repo) && s.headSha === sha && (!appId || String(s.appId) === appId))
          .filter((s) => !checkName || runsOf(s).some((r) => r.name === checkName))
          .sort((a, b) => b.id - a.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${params.ref}/check-suites`);
        return { status: 200, headers: page.headers, body: { total_count: all.length, check_suites: await Promise.all(page.items.map((s) => checkSuiteJson(context, repo, s, runsOf(s)))) } };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/check-suites/{check_suite_id}/rerequest",
      auth: "token",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const suite = suiteOr404(repo, params.check_suite_id!);
        const app = context.store.apps.get(suite.appId)!;
        const json = await checkSuiteJson(context, repo, suite, runsOf(suite));
        for (const installation of context.store.installationsCovering(repo).filter((i) => i.appId === app.id)) {
          context.webhooks.send(app, "check_suite", { action: "rerequested", check_suite: json, repository: context.repositoryPayload(repo), sender: userJsonOf(context, caller) }, installation.id);
        }
        return { status: 201, body: {} };
      },
    },
  ];
};

function userJsonOf(context: SandboxContext, caller: Caller) {
  return userJson(context.actor(caller), context.baseUrl);
}

/** Queued until a run starts, in progress until all are done, then the most severe conclusion wins. */
function suiteOutcome(all: CheckRunState[]): { status: string; conclusion: string | null } {
  if (all.length === 0) return { status: "queued", conclusion: null };
  if (!all.every((r) => r.status === "completed")) return { status: all.some((r) => r.status !== "queued") ? "in_progress" : "queued", conclusion: null };
  const conclusions = all.map((r) => r.conclusion ?? "neutral");
  const failing = FAILING.find((c) => conclusions.includes(c));
  if (failing) return { status: "completed", conclusion: failing };
  return { status: "completed", conclusion: conclusions.every((c) => c === "skipped") ? "skipped" : conclusions.every((c) => c === "neutral" || c === "skipped") ? "neutral" : "success" };
}

async function checkSuiteJson(context: SandboxContext, repo: RepoState, suite: CheckSuiteState, all: CheckRunState[]) {
  const app = context.store.apps.get(suite.appId)!;
  const owner = context.store.account(app.owner) ?? { id: 1, login: app.owner, type: "User" as const };
  const commit = await repo.git.readCommit(suite.headSha);
  const parent = commit.parents[0] ?? null;
  const { status, conclusion } = suiteOutcome(all);
  const url = `${context.baseUrl}/repos/${repo.owner}/${repo.name}/check-suites/${suite.id}`;
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status,
    conclusion,
    url,
    before: parent,
    after: suite.headSha,
    pull_requests: [],
    app: appJson(app, owner, context.baseUrl),
    repository: context.repositoryPayload(repo),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
    head_commit: {
      id: commit.sha,
      tree_id: commit.tree,
      message: commit.message,
      timestamp: commit.committer.date,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
    },
    latest_check_runs_count: all.length,
    check_runs_url: `${url}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

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
    check_suite: { id: run.suiteId },
    app: appJson(app, owner, context.baseUrl),
    pull_requests: [],
  };
}
