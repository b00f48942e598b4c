import type { WebhookDeliverer } from "./deliver-webhooks.js";
import { GitHubHttpError, notFound } from "./http-error.js";
import { ownerOf, repoJson, userJson } from "./representations.js";
import type { RouteDefinition } from "./router.js";
import { PERMISSION_RANK, type Account, type Caller, type RepoState, type SandboxStore } from "./store.js";

export interface RefUpdate {
  repo: RepoState;
  ref: string;
  before: string | undefined;
  after: string | undefined;
  forced: boolean;
  pusher: Account;
}

const RANK = PERMISSION_RANK;

/** What every route module gets: the state, the webhook sender, and the rules shared by all areas. */
export class SandboxContext {
  private readonly refListeners: Array<(update: RefUpdate) => Promise<void>> = [];

  constructor(
    readonly store: SandboxStore,
    readonly webhooks: WebhookDeliverer,
    readonly dataDir: string,
    private readonly getBaseUrl: () => string,
  ) {}

  get baseUrl(): string {
    return this.getBaseUrl();
  }

  /** The account a caller acts as: a person, or the App's bot user. */
  actor(caller: Caller): Account {
    switch (caller.kind) {
      case "user":
        return caller.account;
      case "installation":
      case "app":
        return this.botAccount(caller.app.slug);
      default:
        throw new GitHubHttpError(401, "Requires authentication");
    }
  }

  botAccount(slug: string): Account {
    const login = `${slug}[bot]`;
    let account = this.store.account(login);
    if (!account) {
      account = { id: this.store.nextId(), login, type: "Bot" };
      this.store.accounts.set(login.toLowerCase(), account);
    }
    return account;
  }

  /** Finds a repository the caller may see (or act on with `need: "write"`); 404 otherwise, as GitHub hides it. */
  repo(caller: Caller, owner: string, name: string, need: "read" | "write" = "read"): RepoState {
    const repo = this.store.repo(owner, name);
    if (!repo) throw notFound();
    if (caller.kind === "installation") {
      const covered = this.store.installationsCovering(repo).some((i) => i.id === caller.installation.id);
      if (!covered) throw notFound();
      return repo;
    }
    if (caller.kind === "user") {
      const permission = this.store.permissionOf(repo, caller.account.login);
      if (RANK[permission] < RANK.read) throw notFound();
      if (need === "write" && RANK[permission] < RANK.write) {
        throw new GitHubHttpError(403, "Resource not accessible by personal access token");
      }
      return repo;
    }
    if (caller.kind === "anonymous" && !repo.private && need === "read") return repo;
    throw notFound();
  }

  repositoryPayload(repo: RepoState) {
    return repoJson(repo, ownerOf(repo, this.store.accounts), this.baseUrl);
  }

  /** Sends `event` to every App installed on the repository, with repository/sender/organization. */
  announce(repo: RepoState, event: string, payload: Record<string, unknown>, sender: Account): void {
    const owner = ownerOf(repo, this.store.accounts);
    const body: Record<string, unknown> = {
      ...payload,
      repository: this.repositoryPayload(repo),
      sender: userJson(sender, this.baseUrl),
    };
    if (owner.type === "Organization") {
      body.organization = {
        login: owner.login,
        id: owner.id,
        node_id: userJson(owner, this.baseUrl).node_id,
        url: `${this.baseUrl}/orgs/${owner.login}`,
        repos_url: `${this.baseUrl}/orgs/${owner.login}/repos`,
        events_url: `${this.baseUrl}/orgs/${owner.login}/events`,
        hooks_url: `${this.baseUrl}/orgs/${owner.login}/hooks`,
        issues_url: `${this.baseUrl}/orgs/${owner.login}/issues`,
        members_url: `${this.baseUrl}/orgs/${owner.login}/members{/member}`,
        public_members_url: `${this.baseUrl}/orgs/${owner.login}/public_members{/member}`,
        avatar_url: `${this.baseUrl}/_sandbox/avatars/${owner.login}`,
        description: null,
      };
    }
    for (const installation of this.store.installationsCovering(repo)) {
      const app = this.store.apps.get(installation.appId);
      if (app) this.webhooks.send(app, event, body, installation.id);
    }
  }

  onRefUpdated(listener: (update: RefUpdate) => Promise<void>): void {
    this.refListeners.push(listener);
  }

  /** Every ref change (API, merge, git push) comes through here, so push webhooks are never missed. */
  async refUpdated(update: RefUpdate): Promise<void> {
    update.repo.pushedAt = this.store.timestamp();
    for (const listener of this.refListeners) await listener(update);
  }
}

/** A route module: a function from the shared context to the routes of one GitHub area. */
export type RouteModule = (context: SandboxContext) => Array<RouteDefinition<Caller>>;

export function callerInstallationRepos(context: SandboxContext, caller: Caller): RepoState[] {
  if (caller.kind !== "installation") return [];
  return [...context.store.repos.values()].filter((repo) =>
    context.store.installationsCovering(repo).some((i) => i.id === caller.installation.id),
  );
}

/** Slices a list the way GitHub pages it and builds the Link header. */
export function paginate<T>(items: T[], query: URLSearchParams, url: string): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(query);
    q.set("per_page", String(perPage));
    q.set("page", String(p));
    return `<${url}?${q.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(", ") } : {} };
}

export function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new GitHubHttpError(400, "Problems parsing JSON");
  return body as Record<string, unknown>;
}

/** A commit named the way GitHub's `{ref}` parameters allow: a SHA, a branch, a tag, or a full ref. 422 if there is none. */
export async function resolveCommit(repo: RepoState, ref: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(ref)) {
    if ((await repo.git.objectType(ref)) === "commit") return ref;
  } else {
    const candidates = ref.startsWith("refs/") ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const candidate of candidates) {
      const sha = await repo.git.refSha(candidate);
      if (sha) return sha;
    }
  }
  throw new GitHubHttpError(422, `No commit found for SHA: ${ref}`);
}
