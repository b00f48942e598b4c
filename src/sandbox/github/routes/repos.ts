import { asObject, paginate, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { commitJson, fileStatus, nodeId, ownerOf, repoJson } from "../representations.js";
import type { Caller, RepoState } from "../store.js";

/** Repositories: metadata, branches, commits, compare and the contents API. */
export const repoRoutes: RouteModule = (context) => {
  const { store } = context;
  const base = (repo: RepoState) => `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const resolveOr404 = async (repo: RepoState, ref: string) => {
    const sha = (await repo.git.resolve(ref.startsWith("refs/") ? ref : `refs/heads/${ref}`)) ?? (await repo.git.resolve(ref));
    if (!sha) throw new GitHubHttpError(404, `No commit found for the ref ${ref}`);
    return sha;
  };
  const branchJson = async (repo: RepoState, name: string, sha: string) => ({
    name,
    commit: commitJson(repo, await repo.git.readCommit(sha), context.baseUrl),
    _links: { self: `${base(repo)}/branches/${name}`, html: `${context.baseUrl}/${repo.owner}/${repo.name}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${base(repo)}/branches/${name}/protection`,
  });

  return [
    {
      method: "GET",
      path: "/repos/{owner}/{repo}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: repoJson(repo, ownerOf(repo, store.accounts), context.baseUrl, permissionFlags(context, caller, repo)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/branches",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const refs = await repo.git.refs("refs/heads/");
        const all = refs.map((r) => ({
          name: r.ref.slice("refs/heads/".length),
          commit: { sha: r.sha, url: `${base(repo)}/commits/${r.sha}` },
          protected: false,
        }));
        const page = paginate(all, query, `${base(repo)}/branches`);
        return { status: 200, body: page.items, headers: page.headers };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/branches/{branch}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const sha = await repo.git.refSha(`refs/heads/${params.branch}`);
        if (!sha) throw new GitHubHttpError(404, "Branch not found");
        return { status: 200, body: await branchJson(repo, params.branch!, sha) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const start = await resolveOr404(repo, query.get("sha") ?? repo.defaultBranch);
        const shas = await repo.git.revList([start], query.get("path") ?? undefined, 1000);
        const page = paginate(shas, query, `${base(repo)}/commits`);
        const commits = await Promise.all(page.items.map(async (sha) => commitJson(repo, await repo.git.readCommit(sha), context.baseUrl)));
        return { status: 200, body: commits, headers: page.headers };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/commits/{ref}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const sha = await resolveOr404(repo, params.ref!);
        const commit = await repo.git.readCommit(sha);
        const files = await repo.git.changedFiles(commit.parents[0], sha);
        return { status: 200, body: commitJson(repo, commit, context.baseUrl, files) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/compare/{basehead}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const [baseRef, headRef] = params.basehead!.split("...");
        if (!baseRef || !headRef) throw notFound();
        const baseSha = await resolveOr404(repo, baseRef);
        const headSha = await resolveOr404(repo, headRef);
        const mergeBase = (await repo.git.mergeBase(baseSha, headSha)) ?? baseSha;
        const ahead = await repo.git.revList([headSha, `^${baseSha}`]);
        const behind = await repo.git.revList([baseSha, `^${headSha}`]);
        const status = ahead.length && behind.length ? "diverged" : ahead.length ? "ahead" : behind.length ? "behind" : "identical";
        const files = await repo.git.changedFiles(mergeBase, headSha);
        const commitsJson = await Promise.all(ahead.reverse().map(async (sha) => commitJson(repo, await repo.git.readCommit(sha), context.baseUrl)));
        const html = `${context.baseUrl}/${repo.owner}/${repo.name}/compare/${params.basehead}`;
        return {
          status: 200,
          body: {
            url: `${base(repo)}/compare/${params.basehead}`,
            html_url: html,
            permalink_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            base_commit: commitJson(repo, await repo.git.readCommit(baseSha), context.baseUrl),
            merge_base_commit: commitJson(repo, await repo.git.readCommit(mergeBase), context.baseUrl),
            status,
            ahead_by: ahead.length,
            behind_by: behind.length,
            total_commits: ahead.length,
            commits: commitsJson,
            files: files.map((f) => ({
              sha: "0".repeat(40),
              filename: f.path,
              status: fileStatus(f.status),
              additions: 0,
              deletions: 0,
              changes: 0,
              blob_url: `${context.baseUrl}/${repo.owner}/${repo.name}/blob/${headSha}/${f.path}`,
              raw_url: `${context.baseUrl}/${repo.owner}/${repo.name}/raw/${headSha}/${f.path}`,
              contents_url: `${base(repo)}/contents/${f.path}?ref=${headSha}`,
            })),
          },
        };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/contents/{path}",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const ref = query.get("ref") ?? repo.defaultBranch;
        const sha = await resolveOr404(repo, ref);
        const entry = await findEntry(repo, sha, params.path!);
        if (!entry) throw notFound();
        if (entry.type === "tree") {
          const entries = await repo.git.readTree(entry.sha);
          return { status: 200, body: entries.map((e) => contentEntry(context, repo, `${params.path}/${e.path}`, e.sha, e.type, e.size ?? 0, ref)) };
        }
        const content = await repo.git.readBlob(entry.sha);
        return {
          status: 200,
          body: { ...contentEntry(context, repo, params.path!, entry.sha, "blob", content.length, ref), content: content.toString("base64"), encoding: "base64" },
        };
      },
    },
    {
      method: "PUT",
      path: "/repos/{owner}/{repo}/contents/{path}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.message !== "string" || typeof input.content !== "string") {
          throw unprocessable("Invalid request.\n\n\"message\" and \"content\" wasn't supplied.");
        }
        const result = await writeFile(context, caller, repo, params.path!, Buffer.from(input.content, "base64"), input);
        return { status: result.created ? 201 : 200, body: result.body };
      },
    },
    {
      method: "DELETE",
      path: "/repos/{owner}/{repo}/contents/{path}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.message !== "string" || typeof input.sha !== "string") throw unprocessable("\"message\" and \"sha\" are required.");
        const result = await writeFile(context, caller, repo, params.path!, null, input);
        return { status: 200, body: { content: null, commit: result.body.commit } };
      },
    },
  ];
};

function permissionFlags(context: SandboxContext, caller: Caller, repo: RepoState) {
  const level = caller.kind === "user" ? context.store.permissionOf(repo, caller.account.login) : caller.kind === "installation" ? "write" : "read";
  const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(level);
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}

async function findEntry(repo: RepoState, commitSha: string, path: string) {
  const clean = path.replace(/^\/+|\/+$/g, "");
  if (clean === "") return { type: "tree" as const, sha: (await repo.git.readCommit(commitSha)).tree, size: 0 };
  const entries = await repo.git.readTree(`${commitSha}:${clean.split("/").slice(0, -1).join("/")}`).catch(() => []);
  const name = clean.split("/").pop();
  return entries.find((e) => e.path === name);
}

function contentEntry(context: SandboxContext, repo: RepoState, path: string, sha: string, type: string, size: number, ref: string) {
  const api = `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${context.baseUrl}/${repo.owner}/${repo.name}/${type === "tree" ? "tree" : "blob"}/${ref}/${path}`;
  const git = `${api}/git/${type === "tree" ? "trees" : "blobs"}/${sha}`;
  const url = `${api}/contents/${path}?ref=${ref}`;
  return {
    type: type === "tree" ? "dir" : "file",
    size,
    name: path.split("/").pop()!,
    path,
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url: type === "tree" ? null : `${context.baseUrl}/${repo.owner}/${repo.name}/raw/${ref}/${path}`,
    _links: { self: url, git, html },
  };
}

/** Contents API writes: one commit on the branch, with GitHub's stale-sha check. */
async function writeFile(
  context: SandboxContext,
  caller: Caller,
  repo: RepoState,
  path: string,
  content: Buffer | null,
  input: Record<string, unknown>,
) {
  const branch = typeof input.branch === "string" ? input.branch : repo.defaultBranch;
  const ref = `refs/heads/${branch}`;
  const parent = await repo.git.refSha(ref);
  if (!parent && content === null) throw notFound();
  const existing = parent ? await findEntry(repo, parent, path) : undefined;
  if (existing && existing.sha !== input.sha) {
    throw new GitHubHttpError(409, `${path} does not match ${typeof input.sha === "string" ? input.sha : "(no sha given)"}`);
  }
  if (!existing && content === null) throw notFound();
  const blob = content === null ? null : await repo.git.writeBlob(content);
  const tree = await repo.git.buildTree(parent ? (await repo.git.readCommit(parent)).tree : undefined, [
    { path, mode: "100644", type: "blob", sha: blob },
  ]);
  const actor = context.actor(caller);
  const now = context.store.timestamp();
  const signature = { name: actor.login, email: `${actor.id}+${actor.login}@users.noreply.sandbox`, date: now };
  const sha = await repo.git.writeCommit({ tree, parents: parent ? [parent] : [], message: String(input.message), author: signature, committer: signature });
  await repo.git.setRef(ref, sha, parent ?? "0".repeat(40));
  await context.refUpdated({ repo, ref, before: parent, after: sha, forced: false, pusher: actor });
  const commit = await repo.git.readCommit(sha);
  const gitCommit = commitJson(repo, commit, context.baseUrl);
  return {
    created: !existing,
    body: {
      content: blob ? { ...contentEntry(context, repo, path, blob, "blob", content!.length, branch) } : null,
      commit: {
        sha,
        node_id: nodeId("Commit", sha),
        url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
        html_url: gitCommit.html_url,
        author: commit.author,
        committer: commit.committer,
        message: commit.message.trimEnd(),
        tree: { sha: commit.tree, url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/git/trees/${commit.tree}` },
        parents: commit.parents.map((p) => ({ sha: p, url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/git/commits/${p}`, html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/commit/${p}` })),
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
    },
  };
}
