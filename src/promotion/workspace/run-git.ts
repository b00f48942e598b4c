import { execFile } from "node:child_process";

export interface GitRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `diff --quiet`). */
  okCodes?: number[];
}

/** A git command that failed; the message carries the command and git's own stderr. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = "GitCommandError";
  }
}

/**
 * Runs git without a shell, with prompts and hooks off, and returns stdout and the exit code.
 * Arguments never pass through a shell, so user text cannot become a command.
 */
export function runGit(args: string[], options: GitRunOptions = {}): Promise<{ stdout: string; code: number }> {
  const fullArgs = ["-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never", "-c", "init.defaultBranch=main", ...args];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      fullArgs,
      {
        cwd: options.cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", LC_ALL: "C", ...options.env },
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : undefined) : 0;
        if (code !== undefined && (code === 0 || options.okCodes?.includes(code))) return resolve({ stdout, code });
        reject(new GitCommandError(`git ${args.join(" ")} failed: ${stderr.trim() || error?.message}`, stderr, code));
      },
    );
  });
}
