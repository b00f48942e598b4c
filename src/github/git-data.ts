import type { Octokit } from "@octokit/rest";

/** Anything that can make GitHub REST requests: an installation Octokit, or a plain one in tests. */
export type GitHubClient = Pick<Octokit, "request">;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

/** A change for createTree: new text content, an existing blob, or a deletion (sha null). */
export type TreeChange = { path: string; mode: string; content: string } | { path: string; mode: string; sha: string | null };

/** The commit a ref points at, or undefined when the ref does not exist. Annotated tags are peeled. */
export async function getRefCommit(client: GitHubClient, repo: RepoRef, ref: string): Promise<string | undefined> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref });
    if (data.object.type === "tag") {
      const tag = await client.request("GET /repos/{owner}/{repo}/git/tags/{tag_sha}", { ...repo, tag_sha: data.object.sha });
      return tag.data.object.sha;
    }
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** A branch's tip commit and that commit's tree, in one call; undefined when there is no such branch. */
export async function getBranchHead(client: GitHubClient, repo: RepoRef, branch: string): Promise<{ commit: string; tree: string } | undefined> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/branches/{branch}", { ...repo, branch });
    return { commit: data.commit.sha, tree: data.commit.commit.tree.sha };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export type FileContents = { kind: "file"; content: Buffer; sha: string } | { kind: "directory" };

/**
 * One path at a commit, in one call (the contents API): a file with its bytes, a directory, or
 * undefined when nothing is there. Files over 1 MB come without content; their blob is read instead.
 */
export async function getFileContents(client: GitHubClient, repo: RepoRef, path: string, ref: string): Promise<FileContents | undefined> {
  let data;
  try {
    ({ data } = await client.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path, ref }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (Array.isArray(data)) return { kind: "directory" };
  if (data.type !== "file") return undefined;
  const inline = "content" in data && typeof data.content === "string" && data.encoding === "base64" ? Buffer.from(data.content, "base64") : undefined;
  const content = inline && (inline.length > 0 || data.size === 0) ? inline : await getBlob(client, repo, data.sha);
  return { kind: "file", content, sha: data.sha };
}

/** The whole file list of a commit or tree in one call (`recursive`). */
export async function getTree(client: GitHubClient, repo: RepoRef, treeish: string): Promise<{ sha: string; entries: TreeEntry[]; truncated: boolean }> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { ...repo, tree_sha: treeish, recursive: "1" });
  const entries = data.tree
    .filter((e): e is typeof e & { path: string; sha: string; mode: string; type: string } => typeof e.path === "string" && typeof e.sha === "string")
    .map((e) => ({ path: e.path, mode: e.mode, type: e.type as TreeEntry["type"], sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }));
  return { sha: data.sha, entries, truncated: data.truncated };
}

export async function getBlob(client: GitHubClient, repo: RepoRef, sha: string): Promise<Buffer> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: sha });
  return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
}

/** Uploads binary content as a blob (text goes inline in createTree instead, saving a call). */
export async function createBlob(client: GitHubClient, repo: RepoRef, content: Buffer): Promise<string> {
  const { data } = await client.request("POST /repos/{owner}/{repo}/git/blobs", { ...repo, content: content.toString("base64"), encoding: "base64" });
  return data.sha;
}

export async function getCommitTree(client: GitHubClient, repo: RepoRef, sha: string): Promise<string> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { ...repo, commit_sha: sha });
  return data.tree.sha;
}

export async function createTree(client: GitHubClient, repo: RepoRef, baseTree: string | undefined, changes: TreeChange[]): Promise<string> {
  const { data } = await client.request("POST /repos/{owner}/{repo}/git/trees", {
    ...repo,
    ...(baseTree ? { base_tree: baseTree } : {}),
    tree: changes.map((c) => ({ ...c, type: "blob" as const, mode: c.mode as "100644" })),
  });
  return data.sha;
}

/**
 * Creates a commit with no author or committer given, so GitHub writes it as the App and signs
 * it ("Verified").
 */
export async function createCommit(client: GitHubClient, repo: RepoRef, input: { message: string; tree: string; parents: string[] }): Promise<{ sha: string; url: string }> {
  const { data } = await client.request("POST /repos/{owner}/{repo}/git/commits", { ...repo, ...input });
  return { sha: data.sha, url: data.html_url };
}

export type RefUpdate = "updated" | "missing" | "not-fast-forward";

/** Moves a branch (or tag) ref; says when the ref is missing or the move is not a fast-forward. */
export async function updateRef(client: GitHubClient, repo: RepoRef, ref: string, sha: string, force = false): Promise<RefUpdate> {
  try {
    await client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { ...repo, ref, sha, force });
    return "updated";
  } catch (error) {
    const message = messageOf(error);
    if (statusOf(error) === 422 && /does not exist/i.test(message)) return "missing";
    if (statusOf(error) === 404) return "missing";
    if (statusOf(error) === 422 && /fast.?forward/i.test(message)) return "not-fast-forward";
    throw error;
  }
}

/** Creates a ref; false when it already exists. */
export async function createRef(client: GitHubClient, repo: RepoRef, ref: string, sha: string): Promise<boolean> {
  try {
    await client.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha });
    return true;
  } catch (error) {
    if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return false;
    throw error;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

function messageOf(error: unknown): string {
  const response = (error as { response?: { data?: { message?: string } } }).response;
  return response?.data?.message ?? (error as Error).message ?? "";
}
