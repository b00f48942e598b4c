import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createBlob,
  createCommit,
  createRef,
  createTree,
  getBlob,
  getBranchHead,
  getFileContents,
  getCommitTree,
  getRefCommit,
  getTree,
  updateRef,
  type GitHubClient,
  type RepoRef,
  type TreeChange,
  type TreeEntry,
} from "../../github/git-data.js";
import type { JsonValue } from "../expressions/index.js";
import { StepFailure } from "../step-failure.js";
import { parseGitHubRepoURL } from "./parse-github-repo-url.js";
import { normalizeWorkspacePath } from "./resolve-workspace-path.js";
import type { CheckoutSpec, PushRequest, PushResult, Workspace, WorkspaceFactory } from "./workspace.js";

export interface GitHubApiWorkspaceOptions {
  client: GitHubClient;
  /** Hosts whose repoURLs are GitHub repositories (github.com, a GHES host, the sandbox). */
  hosts: readonly string[];
}

/** Edits since the last commit: base64 content, or null for a deleted file. */
type Overlay = Record<string, string | null>;

interface CheckoutState {
  repoURL: string;
  owner: string;
  repo: string;
  branch?: string;
  /** The commit the checkout started from, and the one it is at now (after git-commit). */
  clonedCommit: string;
  /** The tree of clonedCommit when known (a branch checkout learns it with the tip). */
  clonedTree: string;
  headCommit: string;
  headTree: string;
  headURL?: string;
  /** The message of the last commit made here (reused when replaying it onto a moved branch). */
  lastMessage?: string;
  /** Files changed by commits made in this workspace (read before the remote tree). */
  committed: Overlay;
  /** Files changed since the last commit. */
  pending: Overlay;
}

interface Snapshot {
  kind: "github-api";
  checkouts: Record<string, CheckoutState>;
  scratch: Overlay;
}

/** A path in the commit a checkout started from. */
type RemoteFile = { kind: "file"; content: Buffer; mode?: string } | { kind: "directory" } | undefined;

const PUSH_ATTEMPTS = 3;
const TEXT_MODE = "100644";

/**
 * Workspaces backed by the Git Data API: a checkout costs one call (the branch's tip and tree);
 * a file is read on demand in one call, and the full file list only when a step lists a
 * directory; a commit is one tree (text inline) plus one commit; a push is one ref update. The
 * snapshot is plain data, so any worker can resume the promotion.
 */
export function createGitHubApiWorkspaceFactory(options: GitHubApiWorkspaceOptions): WorkspaceFactory {
  return {
    async open(_promotionId, snapshot) {
      const previous = snapshot as Snapshot | undefined;
      if (previous?.kind === "github-api") return { workspace: new GitHubApiWorkspace(options, previous.checkouts, previous.scratch), restored: true };
      return { workspace: new GitHubApiWorkspace(options, {}, {}), restored: false };
    },
  };
}

class GitHubApiWorkspace implements Workspace {
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry>>>();
  private readonly blobs = new Map<string, Promise<Buffer>>();
  private readonly contents = new Map<string, Promise<RemoteFile>>();

  constructor(
    private readonly options: GitHubApiWorkspaceOptions,
    private readonly checkouts: Record<string, CheckoutState>,
    private readonly scratch: Overlay,
  ) {}

  async readFile(relative: string): Promise<Buffer> {
    const content = await this.lookup(normalizeWorkspacePath(relative));
    if (content === undefined) throw new StepFailure(`file "${relative}" does not exist in the workspace; check the path (and that git-clone checked it out)`);
    return content;
  }

  async writeFile(relative: string, data: string | Uint8Array): Promise<void> {
    const key = normalizeWorkspacePath(relative);
    const base64 = Buffer.from(data).toString("base64");
    const located = this.locate(key);
    if (located) located.checkout.pending[located.path] = base64;
    else this.scratch[key] = base64;
  }

  async exists(relative: string): Promise<boolean> {
    const key = normalizeWorkspacePath(relative);
    if ((await this.lookup(key)) !== undefined) return true;
    const located = this.locate(key);
    if (located && !this.touchedUnder(located.checkout, located.path)) return (await this.remoteFile(located.checkout, located.path))?.kind === "directory";
    return (await this.listFiles(relative)).length > 0;
  }

  async listFiles(relative: string): Promise<string[]> {
    const key = normalizeWorkspacePath(relative);
    if ((await this.lookup(key)) !== undefined) return [""];
    const prefix = key === "" ? "" : `${key}/`;
    const all = new Set<string>();
    for (const [mount, checkout] of Object.entries(this.checkouts)) {
      for (const file of await this.checkoutFiles(checkout)) all.add(`${mount}/${file}`);
    }
    for (const [file, content] of Object.entries(this.scratch)) if (content !== null) all.add(file);
    return [...all]
      .filter((file) => file.startsWith(prefix))
      .map((file) => file.slice(prefix.length))
      .sort();
  }

  async remove(relative: string): Promise<void> {
    const key = normalizeWorkspacePath(relative);
    if (key === "") throw new StepFailure("refusing to delete the whole workspace; name a path inside it");
    const files = await this.listFiles(key);
    for (const file of files) {
      const full = file === "" ? key : `${key}/${file}`;
      const located = this.locate(full);
      if (located) located.checkout.pending[located.path] = null;
      else this.scratch[full] = null;
    }
  }

  async materialize(paths: string[]): Promise<{ dir: string; release(): Promise<void> }> {
    const dir = await mkdtemp(path.join(tmpdir(), "stagecoach-materialized-"));
    for (const wanted of paths) {
      const key = normalizeWorkspacePath(wanted);
      for (const file of await this.listFiles(key)) {
        const full = file === "" ? key : `${key}/${file}`;
        const target = path.join(dir, full);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, await this.readFile(full));
      }
    }
    return { dir, release: () => rm(dir, { recursive: true, force: true }) };
  }

  async clone(repoURL: string, checkout: CheckoutSpec): Promise<{ commit: string }> {
    const mount = normalizeWorkspacePath(checkout.path);
    if (mount === "") throw new StepFailure("checkout path may not be the workspace root; use e.g. ./src");
    const repo = this.repoOf(repoURL);
    let commit = checkout.commit;
    let tree = "";
    if (!commit && !checkout.tag) {
      const head = await getBranchHead(this.options.client, repo, checkout.branch ?? (await this.defaultBranch(repo)));
      commit = head?.commit;
      tree = head?.tree ?? "";
    } else if (!commit) {
      commit = await getRefCommit(this.options.client, repo, `tags/${checkout.tag}`);
    }
    if (!commit && !(checkout.branch && checkout.create)) {
      const fix = checkout.branch ? "; set create: true to start it as an empty branch" : "";
      throw new StepFailure(`${checkout.tag ? "tag" : "branch"} "${checkout.tag ?? checkout.branch}" does not exist in ${repoURL}${fix}`);
    }
    this.checkouts[mount] = {
      repoURL,
      ...repo,
      ...(checkout.branch ? { branch: checkout.branch } : {}),
      clonedCommit: commit ?? "",
      clonedTree: tree,
      headCommit: commit ?? "",
      headTree: tree,
      committed: {},
      pending: {},
    };
    return { commit: commit ?? "" };
  }

  async clear(relative: string): Promise<void> {
    const checkout = this.checkoutAt(relative);
    for (const file of await this.checkoutFiles(checkout)) checkout.pending[file] = null;
  }

  async commit(relative: string, message: string): Promise<{ commit: string | undefined }> {
    const checkout = this.checkoutAt(relative);
    const changes = await this.changesOf(checkout, checkout.pending);
    if (changes.length === 0 && checkout.headCommit !== "") return { commit: undefined };
    const created = await this.writeCommit(checkout, checkout.headCommit, await this.treeOf(checkout), changes, message);
    Object.assign(checkout.committed, checkout.pending);
    checkout.pending = {};
    return { commit: created };
  }

  async push(relative: string, request: PushRequest): Promise<PushResult> {
    const checkout = this.checkoutAt(relative);
    if (checkout.headCommit === "") throw new StepFailure(`nothing to push from ${relative}: the checkout has no commit; run git-commit first`);
    const repo = { owner: checkout.owner, repo: checkout.repo };
    if (request.tag) {
      if (!(await createRef(this.options.client, repo, `tags/${request.tag}`, checkout.headCommit))) {
        const existing = await getRefCommit(this.options.client, repo, `tags/${request.tag}`);
        if (existing !== checkout.headCommit) throw new StepFailure(`tag "${request.tag}" already exists on ${checkout.repoURL} at another commit; pick a new tag`);
      }
      return { branch: "", commit: checkout.headCommit, commitURL: this.commitURL(checkout) };
    }
    const branch = request.targetBranch ?? request.generatedBranch ?? checkout.branch;
    if (!branch) throw new StepFailure(`${relative} was checked out at a commit or tag; set targetBranch (or generateTargetBranch) on git-push`);
    for (let attempt = 1; ; attempt++) {
      const outcome = await updateRef(this.options.client, repo, `heads/${branch}`, checkout.headCommit, request.generatedBranch !== undefined);
      if (outcome === "updated") return { branch, commit: checkout.headCommit, commitURL: this.commitURL(checkout) };
      if (outcome === "missing" && (await createRef(this.options.client, repo, `heads/${branch}`, checkout.headCommit))) {
        return { branch, commit: checkout.headCommit, commitURL: this.commitURL(checkout) };
      }
      const tip = await getRefCommit(this.options.client, repo, `heads/${branch}`);
      if (!tip) continue;
      const tipTree = await getCommitTree(this.options.client, repo, tip);
      // Same content already there (a rerun after a crash): adopt it instead of a second commit.
      if (tipTree === (await this.treeOf(checkout))) {
        checkout.headCommit = tip;
        delete checkout.headURL;
        return { branch, commit: tip, commitURL: this.commitURL(checkout) };
      }
      if (attempt >= PUSH_ATTEMPTS) throw new StepFailure(`branch "${branch}" of ${checkout.repoURL} keeps moving; ${PUSH_ATTEMPTS} attempts to push on top of it failed`);
      // Someone else pushed first: write our changes again on top of theirs.
      const changes = await this.changesOf(checkout, checkout.committed);
      await this.writeCommit(checkout, tip, tipTree, changes, `Promote to ${branch}`, true);
    }
  }

  async tag(relative: string, tag: string): Promise<{ tag: string; commit: string }> {
    const checkout = this.checkoutAt(relative);
    const repo = { owner: checkout.owner, repo: checkout.repo };
    if (!(await createRef(this.options.client, repo, `tags/${tag}`, checkout.headCommit))) {
      if ((await getRefCommit(this.options.client, repo, `tags/${tag}`)) !== checkout.headCommit) throw new StepFailure(`tag "${tag}" already exists on ${checkout.repoURL} at another commit`);
    }
    return { tag, commit: checkout.headCommit };
  }

  repoURLOf(relative: string): string {
    return this.checkoutAt(relative).repoURL;
  }

  snapshot(): JsonValue {
    return JSON.parse(JSON.stringify({ kind: "github-api", checkouts: this.checkouts, scratch: this.scratch })) as JsonValue;
  }

  async dispose(): Promise<void> {
    this.trees.clear();
    this.blobs.clear();
    this.contents.clear();
  }

  private repoOf(repoURL: string): RepoRef {
    const repo = parseGitHubRepoURL(repoURL, this.options.hosts);
    if (!repo) throw new StepFailure(`${repoURL} is not a repository on ${this.options.hosts.join(" or ")}; this workspace writes through the GitHub API only`, "Errored");
    return repo;
  }

  private async defaultBranch(repo: RepoRef): Promise<string> {
    const { data } = await this.options.client.request("GET /repos/{owner}/{repo}", { ...repo });
    return data.default_branch;
  }

  private locate(key: string): { checkout: CheckoutState; path: string } | undefined {
    for (const [mount, checkout] of Object.entries(this.checkouts)) {
      if (key === mount) throw new StepFailure(`"${key}" is a checkout (a directory), not a file`);
      if (key.startsWith(`${mount}/`)) return { checkout, path: key.slice(mount.length + 1) };
    }
    return undefined;
  }

  private checkoutAt(relative: string): CheckoutState {
    const key = normalizeWorkspacePath(relative);
    const checkout = this.checkouts[key];
    if (!checkout) {
      const known = Object.keys(this.checkouts);
      throw new StepFailure(`"${relative}" is not a git checkout${known.length ? ` (checkouts: ${known.join(", ")})` : ""}; clone it first with git-clone`);
    }
    return checkout;
  }

  private async lookup(key: string): Promise<Buffer | undefined> {
    const located = this.locate(key);
    if (!located) {
      const content = this.scratch[key];
      return content === undefined || content === null ? undefined : Buffer.from(content, "base64");
    }
    const { checkout, path: file } = located;
    for (const overlay of [checkout.pending, checkout.committed]) {
      if (Object.hasOwn(overlay, file)) {
        const content = overlay[file];
        return content === null || content === undefined ? undefined : Buffer.from(content, "base64");
      }
    }
    const remote = await this.remoteFile(checkout, file);
    return remote?.kind === "file" ? remote.content : undefined;
  }

  /** One path of the cloned commit: from the file list when it was read, else one contents call. */
  private remoteFile(checkout: CheckoutState, file: string): Promise<RemoteFile> {
    const treeKey = `${checkout.owner}/${checkout.repo}@${checkout.clonedCommit}`;
    const tree = this.trees.get(treeKey);
    if (tree || checkout.clonedCommit === "") {
      return (tree ?? this.remoteTree(checkout)).then(async (entries) => {
        const entry = entries.get(file);
        if (entry?.type === "blob") return { kind: "file", content: await this.blob(checkout, entry.sha), mode: entry.mode };
        return [...entries.keys()].some((p) => p.startsWith(`${file}/`)) ? { kind: "directory" } : undefined;
      });
    }
    const key = `${treeKey}:${file}`;
    let found = this.contents.get(key);
    if (!found) {
      found = getFileContents(this.options.client, { owner: checkout.owner, repo: checkout.repo }, file, checkout.clonedCommit).then((c) =>
        c?.kind === "file" ? { kind: "file", content: c.content } : c,
      );
      this.contents.set(key, found);
    }
    return found;
  }

  private touchedUnder(checkout: CheckoutState, dir: string): boolean {
    return [checkout.pending, checkout.committed].some((overlay) => Object.keys(overlay).some((p) => p.startsWith(`${dir}/`)));
  }

  /** The files of the checkout as it stands now: remote tree, then commits and edits made here. */
  private async checkoutFiles(checkout: CheckoutState): Promise<string[]> {
    const files = new Set([...(await this.remoteTree(checkout)).values()].filter((e) => e.type === "blob").map((e) => e.path));
    for (const overlay of [checkout.committed, checkout.pending]) {
      for (const [file, content] of Object.entries(overlay)) {
        if (content === null) files.delete(file);
        else files.add(file);
      }
    }
    return [...files];
  }

  private remoteTree(checkout: CheckoutState): Promise<Map<string, TreeEntry>> {
    const key = `${checkout.owner}/${checkout.repo}@${checkout.clonedCommit}`;
    let tree = this.trees.get(key);
    if (!tree) {
      tree = checkout.clonedCommit === "" ? Promise.resolve(new Map()) : this.fetchTree(checkout);
      this.trees.set(key, tree);
    }
    return tree;
  }

  private async fetchTree(checkout: CheckoutState): Promise<Map<string, TreeEntry>> {
    const repo = { owner: checkout.owner, repo: checkout.repo };
    const tree = await getTree(this.options.client, repo, checkout.clonedTree || checkout.clonedCommit);
    if (tree.truncated) throw new StepFailure(`${checkout.repoURL} has more files than GitHub lists in one tree; use the git workspace for this repository`, "Errored");
    return new Map(tree.entries.map((e) => [e.path, e]));
  }

  private blob(checkout: CheckoutState, sha: string): Promise<Buffer> {
    let blob = this.blobs.get(sha);
    if (!blob) {
      blob = getBlob(this.options.client, { owner: checkout.owner, repo: checkout.repo }, sha);
      this.blobs.set(sha, blob);
    }
    return blob;
  }

  private async treeOf(checkout: CheckoutState): Promise<string> {
    if (checkout.headTree === "" && checkout.headCommit !== "") {
      checkout.headTree = await getCommitTree(this.options.client, { owner: checkout.owner, repo: checkout.repo }, checkout.headCommit);
    }
    return checkout.headTree;
  }

  /** Tree entries for an overlay, leaving out edits that change nothing. */
  private async changesOf(checkout: CheckoutState, overlay: Overlay): Promise<TreeChange[]> {
    const changes: TreeChange[] = [];
    for (const [file, content] of Object.entries(overlay).sort(([a], [b]) => a.localeCompare(b))) {
      const remote = await this.remoteFile(checkout, file);
      const original = remote?.kind === "file" ? remote : undefined;
      const mode = original?.mode ?? TEXT_MODE;
      if (content === null) {
        if (original || Object.hasOwn(checkout.committed, file)) changes.push({ path: file, mode, sha: null });
        continue;
      }
      const bytes = Buffer.from(content, "base64");
      if (original && overlay === checkout.pending && !Object.hasOwn(checkout.committed, file) && original.content.equals(bytes)) continue;
      const text = bytes.toString("utf8");
      changes.push(Buffer.from(text, "utf8").equals(bytes) ? { path: file, mode, content: text } : { path: file, mode, sha: await createBlob(this.options.client, { owner: checkout.owner, repo: checkout.repo }, bytes) });
    }
    return changes;
  }

  private async writeCommit(checkout: CheckoutState, parent: string, baseTree: string, changes: TreeChange[], message: string, keepMessage = false): Promise<string> {
    const repo = { owner: checkout.owner, repo: checkout.repo };
    const tree = await createTree(this.options.client, repo, baseTree || undefined, changes);
    const commitMessage = keepMessage ? (checkout.lastMessage ?? message) : message;
    const created = await createCommit(this.options.client, repo, { message: commitMessage, tree, parents: parent ? [parent] : [] });
    Object.assign(checkout, { headCommit: created.sha, headTree: tree, headURL: created.url, lastMessage: commitMessage });
    return created.sha;
  }

  private commitURL(checkout: CheckoutState): string {
    return checkout.headURL ?? `https://github.com/${checkout.owner}/${checkout.repo}/commit/${checkout.headCommit}`;
  }
}
