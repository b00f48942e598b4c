import { asObject, type RouteModule } from "../context.js";
import { GitCommandError, type TreeChange } from "../git-repo.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { gitCommitJson, nodeId, refJson } from "../representations.js";

const SHA = /^[0-9a-f]{40}$/;

/** The Git Data API — blobs, trees, commits and refs — on the repository's real object database. */
export const gitDataRoutes: RouteModule = (context) => {
  const { store } = context;
  const repoUrl = (owner: string, repo: string) => `${context.baseUrl}/repos/${owner}/${repo}`;

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/git/blobs",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.content !== "string") throw unprocessable("Invalid request.\n\n\"content\" wasn't supplied.");
        const encoding = input.encoding === "base64" ? "base64" : "utf-8";
        const sha = await repo.git.writeBlob(Buffer.from(input.content, encoding === "base64" ? "base64" : "utf8"));
        return { status: 201, body: { sha, url: `${repoUrl(repo.owner, repo.name)}/git/blobs/${sha}` } };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        if ((await repo.git.objectType(params.file_sha!)) !== "blob") throw notFound();
        const content = await repo.git.readBlob(params.file_sha!);
        return {
          status: 200,
          body: {
            sha: params.file_sha,
            node_id: nodeId("Blob", params.file_sha!),
            size: content.length,
            url: `${repoUrl(repo.owner, repo.name)}/git/blobs/${params.file_sha}`,
            content: content.toString("base64"),
            encoding: "base64",
          },
        };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/git/trees",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (!Array.isArray(input.tree)) throw unprocessable("Invalid tree info", [{ resource: "Tree", field: "tree", code: "missing_field" }]);
        const baseTree = typeof input.base_tree === "string" ? input.base_tree : undefined;
        if (baseTree && (await repo.git.objectType(baseTree)) !== "tree") throw unprocessable("base_tree is not a valid tree oid");
        const changes: TreeChange[] = [];
        for (const raw of input.tree as Array<Record<string, unknown>>) {
          const path = String(raw.path ?? "");
          if (!path || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
            throw unprocessable(`tree.path contains a malformed path component: ${JSON.stringify(path)}`);
          }
          const mode = String(raw.mode ?? "100644");
          const type = (raw.type ?? (mode === "040000" ? "tree" : "blob")) as TreeChange["type"];
          let sha: string | null;
          if (raw.sha === null) sha = null;
          else if (typeof raw.content === "string") sha = await repo.git.writeBlob(Buffer.from(raw.content, "utf8"));
          else if (typeof raw.sha === "string" && SHA.test(raw.sha)) sha = raw.sha;
          else throw unprocessable(`tree.sha ${JSON.stringify(raw.sha)} is not a valid blob`);
          changes.push({ path, mode, type, sha });
        }
        const sha = await repo.git.buildTree(baseTree, changes);
        const entries = await repo.git.readTree(sha);
        return { status: 201, body: treeBody(repoUrl(repo.owner, repo.name), sha, entries) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/git/trees/{tree_sha}",
      auth: "any",
      handle: async ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const treeSha = SHA.test(params.tree_sha!) ? params.tree_sha! : await repo.git.resolve(params.tree_sha!).then((c) => c && `${c}^{tree}`);
        if (!treeSha) throw notFound();
        let entries;
        try {
          entries = await repo.git.readTree(treeSha, query.has("recursive"));
        } catch {
          throw notFound();
        }
        const resolved = SHA.test(params.tree_sha!) ? params.tree_sha! : (await repo.git.text(["rev-parse", treeSha])).trim();
        return { status: 200, body: treeBody(repoUrl(repo.owner, repo.name), resolved, entries) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/git/commits",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        if (typeof input.message !== "string" || typeof input.tree !== "string") {
          throw unprocessable("Invalid request.\n\n\"message\" and \"tree\" are required.");
        }
        if ((await repo.git.objectType(input.tree)) !== "tree") throw unprocessable("Tree SHA does not exist");
        const parents = Array.isArray(input.parents) ? (input.parents as string[]) : [];
        for (const parent of parents) {
          if ((await repo.git.objectType(parent)) !== "commit") throw unprocessable("Parent SHA does not exist or is not a commit object");
        }
        const actor = context.actor(caller);
        const now = store.timestamp();
        const signature = (value: unknown) => {
          const v = (value ?? {}) as Record<string, string>;
          return { name: v.name ?? actor.login, email: v.email ?? `${actor.id}+${actor.login}@users.noreply.sandbox`, date: v.date ?? now };
        };
        const author = signature(input.author);
        const sha = await repo.git.writeCommit({
          tree: input.tree,
          parents,
          message: input.message,
          author,
          committer: input.committer ? signature(input.committer) : author,
        });
        const commit = await repo.git.readCommit(sha);
        return { status: 201, body: gitCommitJson(repo, commit, context.baseUrl) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        if ((await repo.git.objectType(params.commit_sha!)) !== "commit") throw notFound();
        return { status: 200, body: gitCommitJson(repo, await repo.git.readCommit(params.commit_sha!), context.baseUrl) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/git/ref/{ref}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const full = `refs/${params.ref}`;
        const sha = await repo.git.refSha(full);
        if (!sha) throw notFound();
        return { status: 200, body: refJson(repo, full, sha, (await repo.git.objectType(sha)) ?? "commit", context.baseUrl) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/git/matching-refs/{ref}",
      auth: "any",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const prefix = `refs/${params.ref}`;
        const refs = (await repo.git.refs("refs/")).filter((r) => r.ref.startsWith(prefix));
        return { status: 200, body: refs.map((r) => refJson(repo, r.ref, r.sha, "commit", context.baseUrl)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/git/refs",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        const ref = String(input.ref ?? "");
        const sha = String(input.sha ?? "");
        if (!/^refs\/.+\/.+/.test(ref)) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
        if ((await repo.git.objectType(sha)) !== "commit") throw unprocessable("Object does not exist");
        if (await repo.git.refSha(ref)) throw unprocessable("Reference already exists");
        try {
          await repo.git.setRef(ref, sha, "0".repeat(40));
        } catch (error) {
          // Another request created it between the check and the write: GitHub answers the same 422.
          if (error instanceof GitCommandError) throw unprocessable("Reference already exists");
          throw error;
        }
        await context.refUpdated({ repo, ref, before: undefined, after: sha, forced: false, pusher: context.actor(caller) });
        return { status: 201, body: refJson(repo, ref, sha, "commit", context.baseUrl) };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/git/refs/{ref}",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const input = asObject(body);
        const ref = `refs/${params.ref}`;
        const sha = String(input.sha ?? "");
        const current = await repo.git.refSha(ref);
        if (!current) throw unprocessable("Reference does not exist");
        if ((await repo.git.objectType(sha)) !== "commit") throw unprocessable("Object does not exist");
        const fastForward = await repo.git.isAncestor(current, sha);
        if (!fastForward && input.force !== true) throw unprocessable("Update is not a fast forward");
        try {
          await repo.git.setRef(ref, sha, current);
        } catch (error) {
          if (error instanceof GitCommandError) throw new GitHubHttpError(409, "Reference update failed: the ref moved concurrently");
          throw error;
        }
        await context.refUpdated({ repo, ref, before: current, after: sha, forced: !fastForward, pusher: context.actor(caller) });
        return { status: 200, body: refJson(repo, ref, sha, "commit", context.baseUrl) };
      },
    },
    {
      method: "DELETE",
      path: "/repos/{owner}/{repo}/git/refs/{ref}",
      auth: "token",
      handle: async ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const ref = `refs/${params.ref}`;
        const current = await repo.git.refSha(ref);
        if (!current) throw unprocessable("Reference does not exist");
        await repo.git.deleteRef(ref);
        await context.refUpdated({ repo, ref, before: current, after: undefined, forced: false, pusher: context.actor(caller) });
        return { status: 204 };
      },
    },
  ];
};

function treeBody(base: string, sha: string, entries: Array<{ mode: string; type: string; sha: string; path: string; size?: number }>) {
  return {
    sha,
    url: `${base}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob" ? { size: e.size ?? 0 } : {}),
      url: `${base}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
    })),
  };
}
