import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";

// The sandbox runs in this process: git must run asynchronously or it would wait on a blocked server.
const execFileAsync = promisify(execFile);

export interface ClockedSandbox {
  t: TestSandbox;
  /** Moves the sandbox's clock, so commits pushed next carry a later date. */
  advance(seconds: number): void;
  /** The ISO time (whole seconds, UTC) this many seconds after the clock started. */
  at(seconds: number): string;
}

/**
 * A sandbox whose clock moves only when told, so commit and tag dates are known. It starts at the
 * real time (App JWTs are checked against it), and tests move it by seconds, not hours.
 */
export async function startClockedSandbox(): Promise<ClockedSandbox> {
  const start = Math.floor(Date.now() / 1000) * 1000;
  let now = start;
  const t = await startTestSandbox({ now: () => new Date(now) });
  return {
    t,
    advance: (seconds) => (now += seconds * 1000),
    at: (seconds) => new Date(start + seconds * 1000).toISOString().replace(/\.000Z$/, "Z"),
  };
}

export interface TagSpec {
  name: string;
  /** The commit the tag names. */
  sha: string;
  /** An annotated tag with this tagger date (ISO); a lightweight tag when absent. */
  annotatedAt?: string;
}

/**
 * Pushes tags through the sandbox's git smart HTTP as a user, the way a developer would: fetch
 * the repository, create the refs locally (all at once through `update-ref --stdin` for
 * lightweight tags), push them.
 */
export async function pushTags(t: TestSandbox, owner: string, repo: string, tags: TagSpec[]): Promise<void> {
  const { token } = t.sandbox.createUser(owner);
  const dir = await mkdtemp(join(tmpdir(), "stagecoach-test-tags-"));
  const remote = t.sandbox.gitUrl(owner, repo).replace("://", `://${owner}:${token}@`);
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
  const git = (args: string[], extra: Record<string, string> = {}, input?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile("git", ["--git-dir", dir, ...args], { env: { ...env, ...extra }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`git ${args[0]} failed: ${stderr}`)) : resolve(stdout),
      );
      // git may exit before reading its input; the exit code says what went wrong, not the EPIPE.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(input ?? "");
    });
  try {
    await execFileAsync("git", ["init", "--bare", "--quiet", dir], { env });
    await git(["fetch", "--quiet", remote, "+refs/heads/*:refs/heads/*"]);
    const lightweight = tags.filter((tag) => !tag.annotatedAt);
    if (lightweight.length > 0) await git(["update-ref", "--stdin"], {}, lightweight.map((tag) => `create refs/tags/${tag.name} ${tag.sha}\n`).join(""));
    for (const tag of tags.filter((tag) => tag.annotatedAt)) {
      const who = { GIT_COMMITTER_NAME: "Release Bot", GIT_COMMITTER_EMAIL: "release@example.com", GIT_COMMITTER_DATE: tag.annotatedAt! };
      await git(["tag", "-a", tag.name, "-m", `release ${tag.name}`, tag.sha], who);
    }
    await git(["push", "--quiet", remote, "refs/tags/*:refs/tags/*"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Many lightweight tags at once, written straight into the sandbox's bare repository: pushing
 * 10,000 refs would make the sandbox announce each one, which takes minutes and tests nothing here.
 */
export async function writeTags(t: TestSandbox, owner: string, repo: string, tags: Array<{ name: string; sha: string }>): Promise<void> {
  const state = t.sandbox.context.store.repo(owner, repo);
  if (!state) throw new Error(`no repository ${owner}/${repo} in the sandbox`);
  await state.git.git(["update-ref", "--stdin"], tags.map((tag) => `create refs/tags/${tag.name} ${tag.sha}\n`).join(""));
}
