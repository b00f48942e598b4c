import { execFile } from "node:child_process";

/** Runs an external tool without a shell; a failure carries the tool's stderr. */
export function runTool(file: string, args: string[], options: { cwd: string; signal?: AbortSignal; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000, ...(options.signal ? { signal: options.signal } : {}) },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const detail = stderr.trim() || error.message;
        reject(new Error(`${[file, ...args].join(" ")} failed: ${detail}`));
      },
    );
  });
}
