import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RunToolOptions {
  cwd: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Run the tool where it cannot reach the network (see offlineEnvironment). Tools that render a
   * repository (kustomize, helm) fetch remote bases and charts on their own, past the App's address
   * guard; offline, such a fetch fails instead of putting what it found in a pull request.
   */
  offline?: boolean;
}

/**
 * Where an offline tool's HTTP(S) proxy points: port 1 on loopback (tcpmux, retired, and a
 * privileged port nothing of ours listens on), so every proxied connection is refused at once.
 */
export const UNREACHABLE_PROXY = "http://127.0.0.1:1";

/**
 * The whole environment of an offline tool, built from nothing so no credential, kubeconfig, proxy
 * exception or git setting of the App leaks in: PATH, a private HOME (helm and kustomize keep their
 * caches and repository lists under it, and it is empty), every proxy variable (both spellings: Go
 * reads upper case, curl lower) aimed at a closed port with no exceptions, and git limited to
 * local files without prompts. Go's HTTP client never proxies loopback addresses, which is why
 * remote references are also refused before a tool runs.
 */
export function offlineEnvironment(home: string, searchPath: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: searchPath,
    HOME: home,
    NO_PROXY: "",
    no_proxy: "",
    GIT_ALLOW_PROTOCOL: "file",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
    env[name] = UNREACHABLE_PROXY;
    env[name.toLowerCase()] = UNREACHABLE_PROXY;
  }
  return env;
}

/** Runs an external tool without a shell; a failure carries the tool's stderr. */
export async function runTool(file: string, args: string[], options: RunToolOptions): Promise<string> {
  if (!options.offline) return execute(file, args, options, undefined);
  const home = await mkdtemp(path.join(tmpdir(), "stagecoach-tool-"));
  try {
    return await execute(file, args, options, offlineEnvironment(home, process.env.PATH ?? "/usr/bin:/bin"));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function execute(file: string, args: string[], options: RunToolOptions, env: Record<string, string> | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        maxBuffer: 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        ...(env ? { env } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const detail = stderr.trim() || error.message;
        reject(new Error(`${[file, ...args].join(" ")} failed: ${detail}`));
      },
    );
  });
}
