import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env: ENV, encoding: "utf8" }).trim();
}

/** A bare repository (the "remote") seeded with one commit of `files` on main. */
export function createRemoteRepo(files: Record<string, string>): { remote: string; cleanup(): void; read(branch: string, file: string): string; log(branch: string): string[] } {
  const root = mkdtempSync(path.join(tmpdir(), "stagecoach-remote-"));
  const remote = path.join(root, "remote.git");
  const seed = path.join(root, "seed");
  git(root, "init", "-q", "--bare", remote);
  mkdirSync(seed);
  git(seed, "init", "-q");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
    writeFileSync(path.join(seed, file), content);
  }
  git(seed, "add", "-A");
  git(seed, "commit", "-q", "-m", "seed");
  git(seed, "push", "-q", remote, "HEAD:refs/heads/main");
  return {
    remote,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    read: (branch, file) => git(remote, "show", `${branch}:${file}`),
    log: (branch) => git(remote, "log", "--format=%s", branch).split("\n"),
  };
}

export function branchExists(remote: string, branch: string): boolean {
  return git(remote, "branch", "--list", branch) !== "";
}
