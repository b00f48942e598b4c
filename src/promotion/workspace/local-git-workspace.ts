import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Clock } from "../../clock.js";
import type { JsonValue } from "../expressions/index.js";
import { StepFailure } from "../step-failure.js";
import { GitCommandError, runGit } from "./run-git.js";
import { normalizeWorkspacePath, resolveWorkspacePath } from "./resolve-workspace-path.js";
import type { CheckoutSpec, GitIdentity, PushRequest, PushResult, Workspace, WorkspaceFactory } from "./workspace.js";

export interface LocalGitWorkspaceOptions {
  /** Where workspaces are created (a temp dir by default). */
  baseDir?: string;
  /** Turns a repoURL from the config into what git fetches from (the CLI maps URLs to local repos). */
  resolveRemote?: (repoURL: string) => string;
  clock: Clock;
  /** Keep the directory when the promotion ends (the CLI shows it). */
  keep?: boolean;
}

interface CheckoutRecord {
  repoURL: string;
  remote: string;
}

interface Snapshot {
  root: string;
  checkouts: Record<string, CheckoutRecord>;
}

const PUSH_ATTEMPTS = 3;

/** Workspaces on disk with shallow git clones: the backend for remotes that are not on GitHub. */
export function createLocalGitWorkspaceFactory(options: LocalGitWorkspaceOptions): WorkspaceFactory {
  return {
    async open(promotionId, snapshot) {
      const previous = snapshot as Snapshot | undefined;
      if (previous?.root && (await isDirectory(previous.root))) {
        return { workspace: new LocalGitWorkspace(previous.root, previous.checkouts, options), restored: true };
      }
      const base = options.baseDir ?? tmpdir();
      await mkdir(base, { recursive: true });
      const root = await mkdtemp(path.join(base, `promotion-${promotionId.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60)}-`));
      return { workspace: new LocalGitWorkspace(root, {}, options), restored: false };
    },
  };
}

class LocalGitWorkspace implements Workspace {
  constructor(
    readonly root: string,
    private readonly checkouts: Record<string, CheckoutRecord>,
    private readonly options: LocalGitWorkspaceOptions,
  ) {}

  private resolve(relative: string): Promise<string> {
    return resolveWorkspacePath(this.root, relative);
  }

  async readFile(relative: string): Promise<Buffer> {
    const full = await this.resolve(relative);
    try {
      return await readFile(full);
    } catch (error) {
      throw missing(relative, error);
    }
  }

  async writeFile(relative: string, data: string | Uint8Array): Promise<void> {
    const full = await this.resolve(relative);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, data);
  }

  async exists(relative: string): Promise<boolean> {
    return isPresent(await this.resolve(relative));
  }

  async listFiles(relative: string): Promise<string[]> {
    const full = await this.resolve(relative);
    const info = await stat(full).catch((error: unknown) => {
      throw missing(relative, error);
    });
    if (!info.isDirectory()) return [""];
    const entries = await readdir(full, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => path.relative(full, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .filter((p) => !p.split("/").includes(".git"))
      .sort();
  }

  async remove(relative: string): Promise<void> {
    if (normalizeWorkspacePath(relative) === "") throw new StepFailure("refusing to delete the whole workspace; name a path inside it");
    await rm(await this.resolve(relative), { recursive: true, force: true });
  }

  async materialize(): Promise<{ dir: string; release(): Promise<void> }> {
    // Everything is already on disk here.
    return { dir: this.root, release: async () => {} };
  }

  async clone(repoURL: string, checkout: CheckoutSpec): Promise<{ commit: string }> {
    for (const [what, value] of [["repoURL", repoURL], ["branch", checkout.branch], ["commit", checkout.commit], ["tag", checkout.tag]] as const) refuseOptionLike(what, value);
    const relative = normalizeWorkspacePath(checkout.path);
    if (relative === "") throw new StepFailure("checkout path may not be the workspace root; use e.g. ./src");
    const dir = await this.resolve(relative);
    await rm(dir, { recursive: true, force: true });
    const remote = toFetchURL(this.options.resolveRemote?.(repoURL) ?? repoURL);
    await mkdir(path.dirname(dir), { recursive: true });
    if (checkout.commit) {
      await runGit(["init", "-q", dir]);
      await runGit(["remote", "add", "origin", remote], { cwd: dir });
      await runGit(["fetch", "-q", "--depth", "1", "origin", checkout.commit], { cwd: dir }).catch((error: unknown) => {
        throw new StepFailure(`commit ${checkout.commit} cannot be fetched from ${repoURL}: ${(error as Error).message}`);
      });
      await runGit(["checkout", "-q", "--detach", "FETCH_HEAD"], { cwd: dir });
    } else {
      const ref = checkout.tag ?? checkout.branch;
      const exists = ref === undefined || (await remoteHas(remote, checkout.tag ? `refs/tags/${ref}` : `refs/heads/${ref}`, repoURL));
      if (!exists && checkout.branch && checkout.create) {
        await runGit(["init", "-q", "-b", checkout.branch, dir]);
        await runGit(["remote", "add", "origin", remote], { cwd: dir });
      } else if (!exists) {
        const fix = checkout.branch ? "; set create: true to start it as an empty branch" : "";
        throw new StepFailure(`${checkout.tag ? "tag" : "branch"} "${ref}" does not exist in ${repoURL}${fix}`);
      } else {
        await runGit(["clone", "-q", "--depth", "1", "--no-tags", "--single-branch", ...(ref ? ["--branch", ref] : []), remote, dir]);
      }
    }
    this.checkouts[relative] = { repoURL, remote };
    return { commit: await headCommit(dir) };
  }

  async clear(relative: string): Promise<void> {
    const dir = await this.checkoutDir(relative);
    for (const entry of await readdir(dir)) if (entry !== ".git") await rm(path.join(dir, entry), { recursive: true, force: true });
  }

  async commit(relative: string, message: string, author: GitIdentity): Promise<{ commit: string | undefined }> {
    const dir = await this.checkoutDir(relative);
    await runGit(["add", "-A"], { cwd: dir });
    const { code } = await runGit(["diff", "--cached", "--quiet"], { cwd: dir, okCodes: [1] });
    // A checkout with no commit yet (a new orphan branch) always has something to record.
    if (code === 0 && (await headCommit(dir)) !== "") return { commit: undefined };
    const date = this.options.clock.now().toISOString();
    await runGit(["commit", "-q", "--no-verify", "-m", message], { cwd: dir, env: identityEnv(author, date) });
    return { commit: await headCommit(dir) };
  }

  async push(relative: string, request: PushRequest): Promise<PushResult> {
    for (const [what, value] of [["targetBranch", request.targetBranch], ["tag", request.tag]] as const) refuseOptionLike(what, value);
    const dir = await this.checkoutDir(relative);
    const record = this.checkouts[normalizeWorkspacePath(relative)] as CheckoutRecord;
    const head = await headCommit(dir);
    if (head === "") throw new StepFailure(`nothing to push from ${relative}: the checkout has no commit; run git-commit first`);
    if (request.tag) return this.pushTag(dir, record, request.tag);
    const branch = request.targetBranch ?? request.generatedBranch ?? (await currentBranch(dir));
    if (!branch) throw new StepFailure(`${relative} is on a detached commit; set targetBranch (or generateTargetBranch) on git-push`);
    for (let attempt = 1; ; attempt++) {
      const remoteTip = await fetchBranch(dir, branch);
      // Same content already there (a rerun after a crash): adopt it instead of a second commit.
      if (remoteTip && (await treeOf(dir, remoteTip)) === (await treeOf(dir, "HEAD"))) {
        return { branch, commit: remoteTip, ...commitURL(record.repoURL, remoteTip) };
      }
      try {
        await runGit(["push", "-q", "origin", `HEAD:refs/heads/${branch}`], { cwd: dir });
        const commit = await headCommit(dir);
        return { branch, commit, ...commitURL(record.repoURL, commit) };
      } catch (error) {
        if (error instanceof GitCommandError && /refusing to update checked out branch|denyCurrentBranch/.test(error.stderr)) {
          throw new StepFailure(`${record.repoURL} (${record.remote}) has branch "${branch}" checked out, so git refuses to push to it; use a bare clone (git clone --bare) or check out another branch there`);
        }
        if (!(error instanceof GitCommandError) || !/rejected|non-fast-forward|fetch first/.test(error.stderr) || attempt >= PUSH_ATTEMPTS || !remoteTip) throw error;
        // Someone else pushed first: replay our commit on top of theirs and try again.
        await this.replayOnto(dir, remoteTip, branch);
      }
    }
  }

  async tag(relative: string, tag: string, message?: string): Promise<{ tag: string; commit: string }> {
    refuseOptionLike("tag", tag);
    const dir = await this.checkoutDir(relative);
    const env = identityEnv({ name: "Stagecoach", email: "stagecoach@localhost" }, this.options.clock.now().toISOString());
    await runGit(["tag", "-f", ...(message ? ["-a", "-m", message] : []), tag], { cwd: dir, env });
    return { tag, commit: await headCommit(dir) };
  }

  repoURLOf(relative: string): string {
    const record = this.checkouts[normalizeWorkspacePath(relative)];
    if (!record) throw new StepFailure(`"${relative}" is not a git checkout; clone it first with git-clone`);
    return record.repoURL;
  }

  snapshot(): JsonValue {
    return { root: this.root, checkouts: { ...this.checkouts } } as unknown as JsonValue;
  }

  async dispose(): Promise<void> {
    if (!this.options.keep) await rm(this.root, { recursive: true, force: true });
  }

  private async checkoutDir(relative: string): Promise<string> {
    const key = normalizeWorkspacePath(relative);
    if (!this.checkouts[key]) {
      const known = Object.keys(this.checkouts);
      throw new StepFailure(`"${relative}" is not a git checkout${known.length ? ` (checkouts: ${known.join(", ")})` : ""}; clone it first with git-clone`);
    }
    return this.resolve(key);
  }

  private async pushTag(dir: string, record: CheckoutRecord, tag: string): Promise<PushResult> {
    const head = await headCommit(dir);
    const { stdout } = await runGit(["ls-remote", "origin", `refs/tags/${tag}^{}`, `refs/tags/${tag}`], { cwd: dir });
    const remote = stdout.trim().split("\n").filter(Boolean).map((line) => line.split("\t")[0]);
    if (remote.length > 0 && !remote.includes(head)) throw new StepFailure(`tag "${tag}" already exists on ${record.repoURL} at another commit; pick a new tag`);
    if (remote.length === 0) {
      const hasLocal = (await runGit(["rev-parse", "-q", "--verify", `refs/tags/${tag}`], { cwd: dir, okCodes: [1] })).code === 0;
      if (!hasLocal) await runGit(["tag", tag], { cwd: dir });
      await runGit(["push", "-q", "origin", `refs/tags/${tag}`], { cwd: dir });
    }
    return { branch: "", commit: head, ...commitURL(record.repoURL, head) };
  }

  private async replayOnto(dir: string, base: string, branch: string): Promise<void> {
    const ours = await headCommit(dir);
    await runGit(["fetch", "-q", "--depth", "2", "origin", ours, `refs/heads/${branch}`], { cwd: dir, okCodes: [128] });
    await runGit(["checkout", "-q", "--detach", base], { cwd: dir });
    await runGit(["cherry-pick", "--allow-empty", ours], { cwd: dir, env: { GIT_COMMITTER_DATE: this.options.clock.now().toISOString() } }).catch(async (error: unknown) => {
      await runGit(["cherry-pick", "--abort"], { cwd: dir, okCodes: [128] });
      throw new StepFailure(`branch "${branch}" changed while promoting and our change conflicts with it: ${(error as Error).message}`);
    });
  }
}

/** Git reads a leading dash as an option (`--upload-pack=…` runs a command), so such values are refused. */
function refuseOptionLike(what: string, value: string | undefined): void {
  if (value?.startsWith("-")) throw new StepFailure(`${what} "${value}" starts with "-", which git would read as an option; fix the value`, "Errored");
}

async function remoteHas(remote: string, ref: string, repoURL: string): Promise<boolean> {
  try {
    const { stdout } = await runGit(["ls-remote", remote, ref]);
    return stdout.trim() !== "";
  } catch (error) {
    throw new Error(`cannot read ${repoURL}: ${(error as Error).message}`);
  }
}

async function fetchBranch(dir: string, branch: string): Promise<string | undefined> {
  const { stdout } = await runGit(["ls-remote", "origin", `refs/heads/${branch}`], { cwd: dir });
  const tip = stdout.split("\t")[0]?.trim();
  if (!tip) return undefined;
  await runGit(["fetch", "-q", "--depth", "1", "origin", `refs/heads/${branch}`], { cwd: dir });
  return tip;
}

async function treeOf(dir: string, rev: string): Promise<string> {
  return (await runGit(["rev-parse", `${rev}^{tree}`], { cwd: dir })).stdout.trim();
}

async function headCommit(dir: string): Promise<string> {
  const { stdout, code } = await runGit(["rev-parse", "-q", "--verify", "HEAD"], { cwd: dir, okCodes: [1, 128] });
  return code === 0 ? stdout.trim() : "";
}

async function currentBranch(dir: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(["symbolic-ref", "-q", "--short", "HEAD"], { cwd: dir, okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}

function identityEnv(who: { name: string; email: string }, date: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

function commitURL(repoURL: string, commit: string): { commitURL?: string } {
  const match = /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(repoURL);
  return match ? { commitURL: `https://github.com/${match[1]}/${match[2]}/commit/${commit}` } : {};
}

/** Local directories become file:// URLs so shallow clones work on them. */
function toFetchURL(remote: string): string {
  return path.isAbsolute(remote) ? pathToFileURL(remote).href : remote;
}

function missing(relative: string, error: unknown): Error {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") return new StepFailure(`file "${relative}" does not exist in the workspace; check the path (and that git-clone checked it out)`);
  if ((error as NodeJS.ErrnoException).code === "EISDIR") return new StepFailure(`"${relative}" is a directory, not a file`);
  return error as Error;
}

async function isPresent(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

