import { latestStatuses } from "./statuses.js";
import { asObject, paginate, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { commitJson, fileStatus, ownerOf, pullJson } from "../representations.js";
import type { Account, Caller, PullRequestState, RepoState, TeamState } from "../store.js";

/** Pull requests on branches of one repository, with mergeability from a real three-way merge. */
export const pullRoutes: RouteModule = (context) => {
  const { store } = context;
  watchHeadBranches(context);

  const view = async (repo: RepoState, pull: PullRequestState, full: boolean) => {
    const baseSha = (await repo.git.refSha(`refs/heads/${pull.base}`)) ?? pull.headSha;
    const { mergeable, state } = full ? await mergeability(repo, pull) : { mergeable: null, state: "unknown" };
    const author = store.account(pull.user) ?? { id: 1, login: pull.user, type: "User" as const };
    const mergedBy = pull.mergedBy ? store.account(pull.mergedBy) : undefined;
    return pullJson(pull, repo, ownerOf(repo, store.accounts), author, context.baseUrl, { baseSha, mergeable, mergeableState: state, mergedBy, full, ...reviewRequests(context, repo, pull) });
  };
  const pullOr404 = (repo: RepoState, number: string) => {
    const pull = store.pull(repo, Number(number));
    if (!pull) throw notFound();
    return pull;
  };
  const announce = async (repo: RepoState, pull: PullRequestState, action: string, sender: Account, extra: Record<string, unknown> = {}) =>
    context.announce(repo, "pull_request", { action, number: pull.number, pull_request: await view(repo, pull, true), ...extra }, sender);

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/pulls",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        const pull = await openPullRequest(context, repo, context.actor(caller), {
          title: String(input.title ?? ""),
          head: String(input.head ?? ""),
          base: String(input.base ?? ""),
          body: typeof input.body === "string" ? input.body : null,
          draft: input.draft === true,
        });
        return { status: 201, body: await view(repo, pull, true) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const state = query.get("state") ?? "open";
        const head = query.get("head");
        const baseBranch = query.get("base");
        const pulls = [...store.pulls.values()]
          .filter((p) => p.repo.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase())
          .filter((p) => state === "all" || p.state === state)
          .filter((p) => !head || `${repo.owner}:${p.head}`.toLowerCase() === head.toLowerCase() || p.head === head)
          .filter((p) => !baseBranch || p.base === baseBranch)
          .sort((a, b) => b.number - a.number);
        const page = paginate(pulls, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/pulls`);
        return { status: 200, body: await Promise.all(page.items.map((p) => view(repo, p, false))), headers: page.headers };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: await view(repo, pullOr404(repo, params.pull_number!), true) };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const pull = pullOr404(repo, params.pull_number!);
        const input = asObject(body);
        const wasOpen = pull.state === "open";
        if (typeof input.title === "string") pull.title = input.title;
        if (typeof input.body === "string") pull.body = input.body;
        if (typeof input.base === "string") pull.base = input.base;
        if (input.state === "closed" || input.state === "open") {
          if (pull.merged && input.state === "open") throw unprocessable("Cannot reopen a merged pull request");
          pull.state = input.state;
          pull.closedAt = input.state === "closed" ? store.timestamp() : null;
        }
        pull.updatedAt = store.timestamp();
        const action = wasOpen && pull.state === "closed" ? "closed" : !wasOpen && pull.state === "open" ? "reopened" : "edited";
        await announce(repo, pull, action, context.actor(caller));
        return { status: 200, body: await view(repo, pull, true) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        const baseSha = (await repo.git.refSha(`refs/heads/${pull.base}`)) ?? pull.headSha;
        const mergeBase = (await repo.git.mergeBase(baseSha, pull.headSha)) ?? baseSha;
        const files = await repo.git.changedFiles(mergeBase, pull.headSha);
        const page = paginate(files, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}/files`);
        return {
          status: 200,
          headers: page.headers,
          body: page.items.map((f) => ({
            sha: "0".repeat(40),
            filename: f.path,
            status: fileStatus(f.status),
            additions: 0,
            deletions: 0,
            changes: 0,
            blob_url: `${context.baseUrl}/${repo.owner}/${repo.name}/blob/${pull.headSha}/${f.path}`,
            raw_url: `${context.baseUrl}/${repo.owner}/${repo.name}/raw/${pull.headSha}/${f.path}`,
            contents_url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/contents/${f.path}?ref=${pull.headSha}`,
          })),
        };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        const baseSha = (await repo.git.refSha(`refs/heads/${pull.base}`)) ?? pull.headSha;
        const shas = (await repo.git.revList([pull.headSha, `^${baseSha}`])).reverse();
        return { status: 200, body: await Promise.all(shas.map(async (sha) => commitJson(repo, await repo.git.readCommit(sha), context.baseUrl))) };
      },
    },
    {
      method: "PUT",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const pull = pullOr404(repo, params.pull_number!);
        const input = asObject(body);
        const sha = await mergePullRequest(context, caller, repo, pull, {
          method: (input.merge_method as "merge" | "squash" | "rebase" | undefined) ?? "merge",
          expectedHeadSha: typeof input.sha === "string" ? input.sha : undefined,
          title: typeof input.commit_title === "string" ? input.commit_title : undefined,
          message: typeof input.commit_message === "string" ? input.commit_message : undefined,
        });
        return { status: 200, body: { sha, merged: true, message: "Pull Request successfully merged" } };
      },
    },
  ];
};

export async function openPullRequest(
  context: SandboxContext,
  repo: RepoState,
  author: Account,
  input: { title: string; head: string; base: string; body: string | null; draft: boolean },
): Promise<PullRequestState> {
  const { store } = context;
  const head = input.head.includes(":") ? input.head.split(":")[1]! : input.head;
  if (!input.title) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  const headSha = await repo.git.refSha(`refs/heads/${head}`);
  const baseSha = await repo.git.refSha(`refs/heads/${input.base}`);
  if (!headSha) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
  if (!baseSha) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
  const fullName = `${repo.owner}/${repo.name}`;
  const duplicate = [...store.pulls.values()].find((p) => p.repo.toLowerCase() === fullName.toLowerCase() && p.state === "open" && p.head === head && p.base === input.base);
  if (duplicate) {
    throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${head}.` }]);
  }
  if ((await repo.git.revList([headSha, `^${baseSha}`])).length === 0) {
    throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `No commits between ${input.base} and ${head}` }]);
  }
  const now = store.timestamp();
  const pull: PullRequestState = {
    id: store.nextId(),
    number: repo.nextNumber++,
    repo: fullName,
    title: input.title,
    body: input.body,
    state: "open",
    draft: input.draft,
    head,
    base: input.base,
    headSha,
    user: author.login,
    merged: false,
    mergeCommitSha: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
  };
  store.savePull(pull);
  context.announce(repo, "pull_request", { action: "opened", number: pull.number, pull_request: await pullView(context, repo, pull) }, author);
  return pull;
}

/** A pull request as GitHub returns it, with mergeability worked out (webhook payloads carry this). */
export async function pullView(context: SandboxContext, repo: RepoState, pull: PullRequestState) {
  const baseSha = (await repo.git.refSha(`refs/heads/${pull.base}`)) ?? pull.headSha;
  const { mergeable, state } = await mergeability(repo, pull);
  const author = context.store.account(pull.user) ?? { id: 1, login: pull.user, type: "User" as const };
  const mergedBy = pull.mergedBy ? context.store.account(pull.mergedBy) : undefined;
  return pullJson(pull, repo, ownerOf(repo, context.store.accounts), author, context.baseUrl, { baseSha, mergeable, mergeableState: state, mergedBy, full: true, ...reviewRequests(context, repo, pull) });
}

/** The people and teams whose review a pull request is waiting for, as accounts and teams. */
export function reviewRequests(context: SandboxContext, repo: RepoState, pull: PullRequestState): { requestedReviewers: Account[]; requestedTeams: TeamState[] } {
  return {
    requestedReviewers: (pull.requestedReviewers ?? []).flatMap((login) => context.store.account(login) ?? []),
    requestedTeams: (pull.requestedTeams ?? []).flatMap((slug) => context.store.team(repo.owner, slug) ?? []),
  };
}

async function mergeability(repo: RepoState, pull: PullRequestState): Promise<{ mergeable: boolean | null; state: string }> {
  if (pull.state !== "open") return { mergeable: null, state: "unknown" };
  const baseSha = await repo.git.refSha(`refs/heads/${pull.base}`);
  if (!baseSha) return { mergeable: false, state: "dirty" };
  const { tree } = await repo.git.mergeTrees(baseSha, pull.headSha);
  if (!tree) return { mergeable: false, state: "dirty" };
  return { mergeable: true, state: (await repo.git.isAncestor(baseSha, pull.headSha)) ? "clean" : "behind" };
}

export async function mergePullRequest(
  context: SandboxContext,
  caller: Caller,
  repo: RepoState,
  pull: PullRequestState,
  options: { method: "merge" | "squash" | "rebase"; expectedHeadSha?: string; title?: string; message?: string },
): Promise<string> {
  const { store } = context;
  if (pull.merged || pull.state !== "open") throw new GitHubHttpError(405, "Pull Request is not mergeable");
  if (options.expectedHeadSha && options.expectedHeadSha !== pull.headSha) {
    throw new GitHubHttpError(409, "Head branch was modified. Review and try the merge again.");
  }
  const baseRef = `refs/heads/${pull.base}`;
  const baseSha = await repo.git.refSha(baseRef);
  if (!baseSha) throw new GitHubHttpError(405, "Base branch does not exist");
  const { tree } = await repo.git.mergeTrees(baseSha, pull.headSha);
  if (!tree) throw new GitHubHttpError(405, "Pull Request is not mergeable");
  for (const required of requiredChecks(context, repo, pull.base)) {
    if (!passedCheck(context, repo, pull.headSha, required)) throw new GitHubHttpError(405, `Required status check "${required}" is expected.`);
  }
  const actor = context.actor(caller);
  const now = store.timestamp();
  const signature = { name: actor.login, email: `${actor.id}+${actor.login}@users.noreply.sandbox`, date: now };
  let sha: string;
  if (options.method === "merge") {
    sha = await repo.git.writeCommit({
      tree,
      parents: [baseSha, pull.headSha],
      message: `${options.title ?? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`}\n\n${options.message ?? pull.title}\n`,
      author: signature,
      committer: signature,
    });
  } else {
    // squash and rebase both land as one commit on top of the base here (the sandbox's pull requests are single-change promotions).
    sha = await repo.git.writeCommit({
      tree,
      parents: [baseSha],
      message: `${options.title ?? `${pull.title} (#${pull.number})`}\n\n${options.message ?? ""}\n`,
      author: signature,
      committer: signature,
    });
  }
  await repo.git.setRef(baseRef, sha, baseSha);
  Object.assign(pull, { merged: true, mergedBy: actor.login, mergeCommitSha: sha, state: "closed", mergedAt: now, closedAt: now, updatedAt: now });
  await context.refUpdated({ repo, ref: baseRef, before: baseSha, after: sha, forced: false, pusher: actor });
  context.announce(repo, "pull_request", { action: "closed", number: pull.number, pull_request: await pullView(context, repo, pull) }, actor);
  return sha;
}

/** A push to an open pull request's head branch moves its head and sends `synchronize`. */
function watchHeadBranches(context: SandboxContext): void {
  context.onRefUpdated(async ({ repo, ref, after, pusher }) => {
    if (!after || !ref.startsWith("refs/heads/")) return;
    const branch = ref.slice("refs/heads/".length);
    for (const pull of context.store.pulls.values()) {
      if (pull.repo.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase() || pull.state !== "open" || pull.head !== branch) continue;
      const before = pull.headSha;
      pull.headSha = after;
      pull.updatedAt = context.store.timestamp();
      context.announce(repo, "pull_request", { action: "synchronize", number: pull.number, before, after, pull_request: await pullView(context, repo, pull) }, pusher);
    }
  });
}

/** A branch protection rule's required status checks (set with the sandbox's protectBranch). */
export interface BranchProtection {
  requiredChecks: string[];
}

export const protectionKey = (repo: RepoState, branch: string) => `${repo.owner}/${repo.name}/${branch}`.toLowerCase();

function requiredChecks(context: SandboxContext, repo: RepoState, branch: string): string[] {
  return context.store.collection<BranchProtection>("branch-protection").get(protectionKey(repo, branch))?.requiredChecks ?? [];
}

/** GitHub's rule: a required context passes with a successful commit status, or a check run of that name that succeeded (or was neutral or skipped). */
function passedCheck(context: SandboxContext, repo: RepoState, sha: string, name: string): boolean {
  if (latestStatuses(context, repo, sha).get(name) === "success") return true;
  const runs = [...context.store.collection<{ repo: string; headSha: string; name: string; id: number; status: string; conclusion: string | null }>("check-runs").values()]
    .filter((r) => r.repo === `${repo.owner}/${repo.name}`.toLowerCase() && r.headSha === sha && r.name === name)
    .sort((a, b) => b.id - a.id);
  const newest = runs[0];
  return newest?.status === "completed" && ["success", "neutral", "skipped"].includes(newest.conclusion ?? "");
}
