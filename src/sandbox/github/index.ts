import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { announcePushes } from "./announce-push.js";
import { authenticate, issueToken } from "./authenticate.js";
import type { OpenApiChecker } from "./check-openapi.js";
import { SandboxContext } from "./context.js";
import { WebhookDeliverer, type DeliveryRecord } from "./deliver-webhooks.js";
import { GitRepo } from "./git-repo.js";
import { GitHubHttpError } from "./http-error.js";
import { installationJson, userJson } from "./representations.js";
import { Router, type HttpMethod } from "./router.js";
import { ROUTE_MODULES } from "./routes/index.js";
import { addComment } from "./routes/issues.js";
import { mergePullRequest, openPullRequest } from "./routes/pulls.js";
import { finishWorkflowRun, presetWorkflowOutcome, type WorkflowConclusion, type WorkflowRunState } from "./routes/actions.js";
import { protectionKey, type BranchProtection } from "./routes/pulls.js";
import { submitReview, type ReviewEvent } from "./routes/reviews.js";
import { serveGitHttp } from "./serve-git-http.js";
import { SandboxStore, type Caller, type Permission, type PullRequestState, type SandboxApp } from "./store.js";

export type { DeliveryRecord } from "./deliver-webhooks.js";
export type { Permission, PullRequestState, SandboxApp } from "./store.js";
export type { ReviewEvent } from "./routes/reviews.js";
export type { WorkflowConclusion, WorkflowRunState } from "./routes/actions.js";

export interface SandboxOptions {
  /** Where the bare repositories live; a temp dir (removed on close) when absent. */
  dataDir?: string;
  port?: number;
  host?: string;
  /** Check every request and response against GitHub's OpenAPI description (tests; needs dev dependencies). */
  validate?: boolean;
  /** Delay added to every API call, to measure how a flow behaves on a real network. */
  latencyMs?: number;
  now?: () => Date;
}

export interface SchemaViolation {
  direction: "request" | "response";
  method: string;
  path: string;
  problems: string[];
}

export interface EndpointStats {
  calls: number;
  requestBytes: number;
  responseBytes: number;
}

export interface ScriptedFailure {
  method?: string;
  /** Path template (as in GitHub's docs) or a concrete path prefix. */
  path?: string;
  times?: number;
  status: 502 | 429 | 403;
  rateLimit?: "primary" | "secondary";
  /** When a primary limit resets (x-ratelimit-reset), in seconds from now; GitHub's own is up to an hour, the default here a minute. */
  resetInSeconds?: number;
}

/**
 * Runs `hook` on the next matching call, before the sandbox carries it out or after it did and
 * before it answers: the fault suite kills the App there, so "the push happened but the App never
 * heard back" is a point a test can hit exactly.
 */
export interface Interception {
  method?: string;
  /** Path template (as in GitHub's docs) or a concrete path prefix. */
  path?: string;
  when: "before" | "after";
  /** Only calls whose JSON body satisfies this (e.g. a ref that is a promotion branch). */
  body?: (body: unknown) => boolean;
  hook(): Promise<void>;
}

/** A delay added to the next `times` calls of one endpoint (all of them without `times`), before it answers. */
export interface ScriptedDelay {
  method?: string;
  /** Path template (as in GitHub's docs, e.g. `/app`) or a concrete path, matched exactly. */
  path: string;
  ms: number;
  times?: number;
}

export interface RegisteredApp {
  id: number;
  slug: string;
  privateKey: string;
  webhookSecret: string;
}

export interface GitHubSandbox {
  url: string;
  gitUrl(owner: string, repo: string): string;
  registerApp(options: { name?: string; owner?: string; webhookUrl?: string; webhookSecret?: string }): RegisteredApp;
  setWebhookUrl(appId: number, url: string): void;
  installApp(appId: number, owner: string, repositories: string[] | "all"): Promise<number>;
  createUser(login: string): { login: string; token: string };
  createOrg(login: string): void;
  setPermission(owner: string, repo: string, login: string, permission: Permission): void;
  createRepo(owner: string, name: string, options?: { files?: Record<string, string>; defaultBranch?: string; private?: boolean }): Promise<void>;
  pushCommit(options: { owner: string; repo: string; branch: string; files?: Record<string, string>; deletions?: string[]; message: string; author: string }): Promise<string>;
  openPullRequest(options: { owner: string; repo: string; head: string; base: string; title: string; body?: string; author: string }): Promise<number>;
  mergePullRequest(options: { owner: string; repo: string; number: number; by: string; method?: "merge" | "squash" | "rebase" }): Promise<string>;
  pullRequest(owner: string, repo: string, number: number): PullRequestState | undefined;
  /** Comments on an issue or pull request as a person, which sends `issue_comment.created`. */
  comment(options: { owner: string; repo: string; number: number; body: string; author: string }): number;
  /** Submits a review as a person (APPROVE, REQUEST_CHANGES, COMMENT), which sends `pull_request_review.submitted`. */
  reviewPullRequest(options: { owner: string; repo: string; number: number; by: string; event: ReviewEvent; body?: string }): Promise<number>;
  /** A team in an organization, with members and the permission it gives on repositories (`repo` names without owner). */
  createTeam(org: string, slug: string, options?: { name?: string; members?: string[]; maintainers?: string[]; repos?: Record<string, Permission> }): void;
  addTeamMember(org: string, slug: string, login: string, role?: "member" | "maintainer"): void;
  /** Runs of GitHub Actions workflows, newest first. */
  workflowRuns(owner: string, repo: string): WorkflowRunState[];
  /** Ends a queued or running workflow run with `conclusion` (sends workflow_run in_progress/completed). */
  completeWorkflowRun(options: { owner: string; repo: string; runId: number; conclusion: WorkflowConclusion; by?: string }): void;
  /** Every later run of this workflow file ends at once with `conclusion` (undefined: runs wait for completeWorkflowRun). */
  setWorkflowOutcome(owner: string, repo: string, workflowFile: string, conclusion: WorkflowConclusion | undefined): void;
  /** A branch protection rule: merges into `branch` need these contexts green on the pull request's head (GitHub answers 405 otherwise). */
  protectBranch(options: { owner: string; repo: string; branch: string; requiredChecks: string[] }): void;
  readFile(owner: string, repo: string, ref: string, path: string): Promise<string | undefined>;
  branchSha(owner: string, repo: string, branch: string): Promise<string | undefined>;
  stats(): Record<string, EndpointStats>;
  resetStats(): void;
  setLatency(ms: number): void;
  failNext(failure: ScriptedFailure): void;
  interceptNext(interception: Interception): void;
  /** Slows one endpoint down (GitHub having a bad minute on it), leaving every other one as fast as it was. */
  delayNext(delay: ScriptedDelay): void;
  schemaViolations(): SchemaViolation[];
  clearSchemaViolations(): void;
  deliveries(): DeliveryRecord[];
  waitForIdle(): Promise<void>;
  redeliver(id: string): DeliveryRecord;
  /** The shared context, for route modules added by tests. */
  context: SandboxContext;
  close(): Promise<void>;
}

export async function startGitHubSandbox(options: SandboxOptions = {}): Promise<GitHubSandbox> {
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "stagecoach-sandbox-"));
  mkdirSync(dataDir, { recursive: true });
  const store = new SandboxStore(options.now ?? (() => new Date()));
  let baseUrl = "";
  const webhooks = new WebhookDeliverer(store);
  const context = new SandboxContext(store, webhooks, dataDir, () => baseUrl);
  announcePushes(context);
  const router = new Router<Caller>();
  for (const module of Object.values(ROUTE_MODULES)) router.add(module(context));

  let checker: OpenApiChecker | undefined;
  if (options.validate) {
    const { OpenApiChecker } = await import("./check-openapi.js");
    checker = OpenApiChecker.load(router.list());
  }
  const violations: SchemaViolation[] = [];
  let stats: Record<string, EndpointStats> = {};
  let latencyMs = options.latencyMs ?? 0;
  const failures: Array<ScriptedFailure & { remaining: number }> = [];
  const interceptions: Interception[] = [];
  const takeInterception = (when: Interception["when"], method: string, template: string, pathname: string, body: unknown): Interception | undefined => {
    const index = interceptions.findIndex((i) => i.when === when && (!i.method || i.method === method) && (!i.path || i.path === template || pathname.startsWith(i.path)) && (!i.body || i.body(body)));
    return index === -1 ? undefined : interceptions.splice(index, 1)[0];
  };
  const delays: Array<ScriptedDelay & { remaining: number }> = [];

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `sandbox error: ${(error as Error).message}` }));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", baseUrl);
    if (url.pathname.startsWith("/_git/")) return serveGitHttp(context, request, response, url);
    if (url.pathname.startsWith("/_sandbox/")) return control(request, response, url);

    const raw = await readAll(request);
    const method = (request.method ?? "GET") as HttpMethod;
    let match;
    try {
      match = router.match(method, url.pathname);
    } catch (error) {
      return send(response, error as GitHubHttpError);
    }
    const template = match?.route.path ?? url.pathname;
    const key = `${method} ${template}`;
    const entry = (stats[key] ??= { calls: 0, requestBytes: 0, responseBytes: 0 });
    entry.calls++;
    entry.requestBytes += raw.length + headerBytes(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const delay = delays.find((d) => d.remaining > 0 && (!d.method || d.method === method) && (d.path === template || d.path === url.pathname));
    if (delay) {
      delay.remaining--;
      await new Promise((resolve) => setTimeout(resolve, delay.ms));
    }

    const written = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      entry.responseBytes += Buffer.byteLength(text);
      response.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-request-id": randomUUID(),
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(Math.floor(store.now().getTime() / 1000) + 3600),
        "x-ratelimit-resource": "core",
        ...headers,
      });
      response.end(text);
    };

    const failure = failures.find((f) => f.remaining > 0 && (!f.method || f.method === method) && (!f.path || f.path === template || url.pathname.startsWith(f.path)));
    if (failure) {
      failure.remaining--;
      return written(failure.status, ...scriptedFailure(failure, store.now()));
    }
    if (!match) {
      if (checker) violations.push({ direction: "request", method, path: url.pathname, problems: ["not an endpoint the sandbox implements"] });
      return written(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    }

    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      return written(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest" });
    }
    if (checker) {
      const problems = checker.checkRequest(method, template, match.params, url.searchParams, body);
      if (problems.length) {
        violations.push({ direction: "request", method, path: template, problems });
        return written(422, {
          message: `Request does not match GitHub's OpenAPI description: ${problems.join("; ")}`,
          documentation_url: "https://docs.github.com/rest",
        });
      }
    }
    const before = takeInterception("before", method, template, url.pathname, body);
    if (before) {
      await before.hook();
      // The caller died while its request was in flight (the fault suite's kill -9): GitHub never got it.
      if (await connectionClosed(request)) return;
    }
    let status: number;
    let out: unknown;
    let headers: Record<string, string> | undefined;
    try {
      const caller = authenticate(store, request.headers.authorization);
      const { auth } = match.route;
      if (auth === "app" && caller.kind !== "app") throw new GitHubHttpError(401, "A JSON web token could not be decoded");
      if (auth === "token" && caller.kind !== "installation" && caller.kind !== "user") throw new GitHubHttpError(401, "Requires authentication");
      const result = await match.route.handle({ params: match.params, query: url.searchParams, body, caller, baseUrl });
      ({ status, body: out, headers } = result);
    } catch (error) {
      if (!(error instanceof GitHubHttpError)) throw error;
      status = error.status;
      out = error.toBody();
      headers = error.headers;
    }
    if (checker && status < 400) {
      const problems = checker.checkResponse(method, template, status, out);
      if (problems.length) violations.push({ direction: "response", method, path: template, problems });
    }
    await takeInterception("after", method, template, url.pathname, body)?.hook();
    written(status, out, headers);
  }

  async function control(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const raw = await readAll(request);
    const input = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const parts = url.pathname.split("/").slice(2);
    try {
      const route = `${request.method} /${parts.map((p, i) => (i > 0 && ["repos", "pulls"].includes(parts[i - 1]!) ? ":" : p)).join("/")}`;
      switch (`${request.method} ${parts[0]}`) {
        case "POST users":
          return reply(201, sandbox.createUser(String(input.login)));
        case "POST orgs":
          if (parts[2] === "teams" && parts.length === 3) {
            sandbox.createTeam(parts[1]!, String(input.slug), input as Parameters<GitHubSandbox["createTeam"]>[2]);
            return reply(201, { slug: input.slug });
          }
          sandbox.createOrg(String(input.login));
          return reply(201, { login: input.login });
        case "PUT orgs":
          if (parts[2] === "teams" && parts[4] === "members") {
            sandbox.addTeamMember(parts[1]!, parts[3]!, parts[5]!, (input.role as "member" | "maintainer" | undefined) ?? "member");
            return reply(200, { login: parts[5] });
          }
          break;
        case "POST apps":
          return reply(201, sandbox.registerApp(input as Parameters<GitHubSandbox["registerApp"]>[0]));
        case "POST installations":
          return reply(201, { id: await sandbox.installApp(Number(input.appId), String(input.owner), (input.repositories as string[] | "all") ?? "all") });
        case "POST repos":
          if (parts.length === 1) {
            await sandbox.createRepo(String(input.owner), String(input.name), input as Parameters<GitHubSandbox["createRepo"]>[2]);
            return reply(201, { full_name: `${input.owner}/${input.name}` });
          }
          if (parts[3] === "commits") {
            return reply(201, { sha: await sandbox.pushCommit({ ...(input as { branch: string; message: string; author: string }), owner: parts[1]!, repo: parts[2]! }) });
          }
          if (parts[3] === "pulls" && parts[5] === "reviews") {
            const event = input.event as ReviewEvent;
            return reply(201, { id: await sandbox.reviewPullRequest({ owner: parts[1]!, repo: parts[2]!, number: Number(parts[4]), by: String(input.by), event, ...(typeof input.body === "string" ? { body: input.body } : {}) }) });
          }
          if (parts[3] === "actions" && parts[4] === "runs" && parts[6] === "complete") {
            sandbox.completeWorkflowRun({ owner: parts[1]!, repo: parts[2]!, runId: Number(parts[5]), conclusion: input.conclusion as WorkflowConclusion, ...(typeof input.by === "string" ? { by: input.by } : {}) });
            return reply(200, { id: Number(parts[5]), conclusion: input.conclusion });
          }
          if (parts[3] === "pulls" && parts[5] === "merge") {
            return reply(200, { sha: await sandbox.mergePullRequest({ owner: parts[1]!, repo: parts[2]!, number: Number(parts[4]), by: String(input.by), method: input.method as "merge" }) });
          }
          if (parts[3] === "pulls") {
            return reply(201, { number: await sandbox.openPullRequest({ ...(input as { head: string; base: string; title: string; author: string }), owner: parts[1]!, repo: parts[2]! }) });
          }
          break;
        case "PUT repos":
          if (parts[3] === "permissions") {
            sandbox.setPermission(parts[1]!, parts[2]!, parts[4]!, input.permission as Permission);
            return reply(200, { permission: input.permission });
          }
          break;
        case "GET deliveries":
          return reply(200, webhooks.log.map(({ body: _body, ...rest }) => rest));
        case "POST deliveries":
          return reply(201, sandbox.redeliver(parts[1]!));
        case "GET stats":
          return reply(200, stats);
        case "GET violations":
          return reply(200, violations);
      }
      reply(404, { message: `no sandbox control route ${route}` });
    } catch (error) {
      reply(error instanceof GitHubHttpError ? error.status : 400, { message: (error as Error).message });
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve()));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  const ensureAccount = (login: string, type: "User" | "Organization" | "Bot") => {
    let account = store.account(login);
    if (!account) {
      account = { id: store.nextId(), login, type };
      store.accounts.set(login.toLowerCase(), account);
    }
    return account;
  };
  /** GitHub pings a webhook when it is created or its URL changes. */
  const sendPing = (app: SandboxApp) => {
    webhooks.send(app, "ping", {
      zen: "Keep it logically awesome.",
      hook_id: app.id,
      hook: {
        type: "App",
        id: app.id,
        name: "web",
        active: true,
        events: ["*"],
        config: { content_type: "json", insecure_ssl: "0", url: app.webhookUrl },
        updated_at: app.createdAt,
        created_at: app.createdAt,
        app_id: app.id,
        deliveries_url: `${baseUrl}/app/hook/deliveries`,
      },
    });
  };
  const requireRepo = (owner: string, name: string) => {
    const repo = store.repo(owner, name);
    if (!repo) throw new GitHubHttpError(404, `no sandbox repository ${owner}/${name}`);
    return repo;
  };
  const userCaller = (login: string): Caller => {
    const account = store.account(login);
    if (!account) throw new GitHubHttpError(404, `no sandbox user ${login}; create it first`);
    return { kind: "user", account };
  };

  const sandbox: GitHubSandbox = {
    url: baseUrl,
    context,
    gitUrl: (owner, repo) => `${baseUrl}/_git/${owner}/${repo}.git`,
    registerApp({ name = "Stagecoach", owner = "stagecoach-dev", webhookUrl, webhookSecret = randomUUID() }) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const id = store.nextId();
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      ensureAccount(owner, "User");
      const app: SandboxApp = { id, slug, name, owner, publicKey, privateKey, webhookUrl, webhookSecret, createdAt: store.timestamp() };
      store.apps.set(id, app);
      context.botAccount(slug);
      if (webhookUrl) sendPing(app);
      return { id, slug, privateKey, webhookSecret };
    },
    setWebhookUrl(appId, url) {
      const app = store.apps.get(appId);
      if (!app) throw new Error(`no App ${appId}`);
      app.webhookUrl = url;
      sendPing(app);
    },
    async installApp(appId, owner, repositories) {
      const app = store.apps.get(appId);
      if (!app) throw new GitHubHttpError(404, `no App ${appId}`);
      const account = ensureAccount(owner, store.account(owner)?.type === "Organization" ? "Organization" : "User");
      const installation = {
        id: store.nextId(),
        appId,
        account: account.login,
        repositories: repositories === "all" ? ("all" as const) : repositories.map((r) => (r.includes("/") ? r : `${owner}/${r}`)),
        createdAt: store.timestamp(),
      };
      store.installations.set(installation.id, installation);
      const repos = [...store.repos.values()].filter((r) => store.installationsCovering(r).some((i) => i.id === installation.id));
      webhooks.send(
        app,
        "installation",
        {
          action: "created",
          installation: installationJson(installation, app, account, baseUrl),
          repositories: repos.map((r) => ({ id: r.id, node_id: Buffer.from(`Repository:${r.id}`).toString("base64"), name: r.name, full_name: `${r.owner}/${r.name}`, private: r.private })),
          requester: null,
          sender: userJson(account, baseUrl),
        },
      );
      return installation.id;
    },
    createUser(login) {
      const account = ensureAccount(login, "User");
      account.token ??= issueToken("ghu");
      store.tokens.set(account.token, { login, expiresAt: "2099-01-01T00:00:00Z" });
      return { login, token: account.token };
    },
    createOrg(login) {
      ensureAccount(login, "Organization").type = "Organization";
    },
    setPermission(owner, repo, login, permission) {
      requireRepo(owner, repo).permissions.set(login.toLowerCase(), permission);
    },
    async createRepo(owner, name, { files = {}, defaultBranch = "main", private: isPrivate = false } = {}) {
      if (store.repo(owner, name)) throw new GitHubHttpError(422, `repository ${owner}/${name} already exists`);
      ensureAccount(owner, store.account(owner)?.type === "Organization" ? "Organization" : "User");
      const git = await GitRepo.init(join(dataDir, owner, `${name}.git`), defaultBranch);
      const now = store.timestamp();
      store.repos.set(`${owner}/${name}`.toLowerCase(), {
        id: store.nextId(),
        owner,
        name,
        defaultBranch,
        private: isPrivate,
        git,
        permissions: new Map(),
        createdAt: now,
        pushedAt: now,
        nextNumber: 1,
      });
      if (Object.keys(files).length > 0) {
        await sandbox.pushCommit({ owner, repo: name, branch: defaultBranch, files, message: "Initial commit", author: owner });
      }
    },
    async pushCommit({ owner, repo: name, branch, files = {}, deletions = [], message, author }) {
      const repo = requireRepo(owner, name);
      const account = ensureAccount(author, store.account(author)?.type ?? "User");
      const ref = `refs/heads/${branch}`;
      const parent = (await repo.git.refSha(ref)) ?? (await repo.git.refSha(`refs/heads/${repo.defaultBranch}`));
      const changes = [];
      for (const [path, content] of Object.entries(files)) {
        changes.push({ path, mode: "100644", type: "blob" as const, sha: await repo.git.writeBlob(Buffer.from(content, "utf8")) });
      }
      for (const path of deletions) changes.push({ path, mode: "100644", type: "blob" as const, sha: null });
      const tree = await repo.git.buildTree(parent ? (await repo.git.readCommit(parent)).tree : undefined, changes);
      const signature = { name: author, email: `${account.id}+${author}@users.noreply.sandbox`, date: store.timestamp() };
      const sha = await repo.git.writeCommit({ tree, parents: parent ? [parent] : [], message, author: signature, committer: signature });
      const before = await repo.git.refSha(ref);
      await repo.git.setRef(ref, sha, before ?? "0".repeat(40));
      await context.refUpdated({ repo, ref, before, after: sha, forced: false, pusher: account });
      return sha;
    },
    async openPullRequest({ owner, repo, head, base, title, body, author }) {
      const pull = await openPullRequest(context, requireRepo(owner, repo), ensureAccount(author, "User"), { title, head, base, body: body ?? null, draft: false });
      return pull.number;
    },
    async mergePullRequest({ owner, repo: name, number, by, method = "merge" }) {
      const repo = requireRepo(owner, name);
      const pull = store.pull(repo, number);
      if (!pull) throw new GitHubHttpError(404, `no pull request #${number} in ${owner}/${name}`);
      return mergePullRequest(context, userCaller(by), repo, pull, { method });
    },
    pullRequest: (owner, repo, number) => store.pull(requireRepo(owner, repo), number),
    comment: ({ owner, repo, number, body, author }) => addComment(context, requireRepo(owner, repo), number, body, userCaller(author).kind === "user" ? store.account(author)! : ensureAccount(author, "User")).id,
    async reviewPullRequest({ owner, repo: name, number, by, event, body }) {
      const repo = requireRepo(owner, name);
      const pull = store.pull(repo, number);
      if (!pull) throw new GitHubHttpError(404, `no pull request #${number} in ${owner}/${name}`);
      const caller = userCaller(by);
      if (caller.kind !== "user") throw new GitHubHttpError(404, `no sandbox user ${by}`);
      return (await submitReview(context, repo, pull, caller.account, { event, ...(body ? { body } : {}) })).id;
    },
    createTeam(org, slug, { name = slug, members = [], maintainers = [], repos = {} } = {}) {
      if (store.account(org)?.type !== "Organization") throw new GitHubHttpError(422, `${org} is not an organization; createOrg("${org}") first`);
      if (store.team(org, slug)) throw new GitHubHttpError(422, `team ${org}/${slug} already exists`);
      const team = { id: store.nextId(), org, slug, name, members: new Map<string, "member" | "maintainer">(), repos: new Map<string, Permission>() };
      for (const login of members) team.members.set(ensureAccount(login, "User").login.toLowerCase(), "member");
      for (const login of maintainers) team.members.set(ensureAccount(login, "User").login.toLowerCase(), "maintainer");
      for (const [repo, permission] of Object.entries(repos)) team.repos.set(`${org}/${repo}`.toLowerCase(), permission);
      store.teams.set(`${org}/${slug}`.toLowerCase(), team);
    },
    addTeamMember(org, slug, login, role = "member") {
      const team = store.team(org, slug);
      if (!team) throw new GitHubHttpError(404, `no team ${org}/${slug}; createTeam first`);
      team.members.set(ensureAccount(login, "User").login.toLowerCase(), role);
    },
    workflowRuns(owner, name) {
      const key = `${requireRepo(owner, name).owner}/${name}`.toLowerCase();
      return [...store.collection<WorkflowRunState>("workflow-runs").values()].filter((r) => r.repo === key).sort((a, b) => b.id - a.id);
    },
    completeWorkflowRun({ owner, repo: name, runId, conclusion, by }) {
      const repo = requireRepo(owner, name);
      const run = store.collection<WorkflowRunState>("workflow-runs").get(String(runId));
      if (!run || run.repo !== `${repo.owner}/${repo.name}`.toLowerCase()) throw new GitHubHttpError(404, `no workflow run ${runId} in ${owner}/${name}`);
      finishWorkflowRun(context, repo, run, conclusion, ensureAccount(by ?? run.actor, store.account(by ?? run.actor)?.type ?? "User"));
    },
    setWorkflowOutcome(owner, name, workflowFile, conclusion) {
      presetWorkflowOutcome(context, requireRepo(owner, name), workflowFile, conclusion);
    },
    protectBranch({ owner, repo: name, branch, requiredChecks }) {
      context.store.collection<BranchProtection>("branch-protection").set(protectionKey(requireRepo(owner, name), branch), { requiredChecks });
    },
    async readFile(owner, name, ref, path) {
      const repo = requireRepo(owner, name);
      try {
        return (await repo.git.git(["show", `${ref}:${path}`])).toString("utf8");
      } catch {
        return undefined;
      }
    },
    branchSha: (owner, repo, branch) => requireRepo(owner, repo).git.refSha(`refs/heads/${branch}`),
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = {};
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    failNext: (failure) => {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },
    interceptNext: (interception) => {
      interceptions.push(interception);
    },
    delayNext: (delay) => {
      delays.push({ ...delay, remaining: delay.times ?? Number.POSITIVE_INFINITY });
    },
    schemaViolations: () => [...violations],
    clearSchemaViolations: () => {
      violations.length = 0;
    },
    deliveries: () => [...webhooks.log],
    waitForIdle: () => webhooks.idle(),
    redeliver: (id) => webhooks.redeliver(id),
    async close() {
      await webhooks.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return sandbox;
}

function scriptedFailure(failure: ScriptedFailure, now: Date): [unknown, Record<string, string>] {
  const reset = String(Math.floor(now.getTime() / 1000) + (failure.resetInSeconds ?? 60));
  if (failure.status === 502) return [{ message: "Server Error" }, {}];
  if (failure.rateLimit === "secondary") {
    return [
      { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" },
      { "retry-after": "1" },
    ];
  }
  return [
    { message: "API rate limit exceeded for installation.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
    { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "x-ratelimit-used": "5000", "x-ratelimit-resource": "core" },
  ];
}

/** Whether the client's connection closes within a moment (a killed process's sockets close as it exits). */
function connectionClosed(request: IncomingMessage): Promise<boolean> {
  if (request.socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.socket.off("close", onClose);
      resolve(request.socket.destroyed);
    }, 200);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    request.socket.once("close", onClose);
  });
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headerBytes(request: IncomingMessage): number {
  return request.rawHeaders.reduce((sum, h) => sum + Buffer.byteLength(h) + 2, 0);
}

function send(response: ServerResponse, error: GitHubHttpError): void {
  response.writeHead(error.status, { "content-type": "application/json" }).end(JSON.stringify(error.toBody()));
}
