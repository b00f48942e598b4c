import { spawn } from "node:child_process";
import { redactText, secretForms } from "./redact-secrets.js";
import type { TerraformWorkdir } from "./types.js";

/** What is kept from the end of an output that outgrew maxOutputBytes: where terraform puts its errors. */
const TAIL_BYTES = 64 * 1024;

export interface TerraformResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Exit codes that are not failures. */
  okExitCodes?: number[];
  /** Values to redact for this command only, on top of the workdir's secrets. */
  secrets?: string[];
}

/** A terraform command that failed, was stopped, or could not start; `log` is its redacted output. */
export class TerraformCommandError extends Error {
  override name = "TerraformCommandError";

  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly log: string,
    /** Why Stagecoach stopped the command ("ran longer than …", "was cancelled"), when it did. */
    readonly stoppedBecause?: string,
  ) {
    super(message);
  }
}

/**
 * Runs terraform with `args` in the workdir: no shell, no standard input, only the workdir's
 * environment, within its time and output budgets, stopped by its AbortSignal. A stop sends SIGINT
 * first (Terraform then finishes what it is doing and writes its state) and SIGKILL after the
 * grace period. Returns stdout and stderr with every secret redacted; a failure throws
 * TerraformCommandError with the redacted output.
 */
export async function runTerraform(workdir: TerraformWorkdir, args: string[], options: RunOptions = {}): Promise<TerraformResult> {
  const captured = await captureTerraform(workdir, args, options);
  return { exitCode: captured.exitCode, stdout: captured.stdout.text(captured.forms), stderr: captured.stderr.text(captured.forms) };
}

export interface Captured {
  exitCode: number;
  stdout: CappedOutput;
  stderr: CappedOutput;
  /** The secret forms for this command, for redacting what the caller derives from the output. */
  forms: string[];
}

/** runTerraform without the redaction of stdout, for JSON that the caller parses and then redacts. */
export function captureTerraform(workdir: TerraformWorkdir, args: string[], options: RunOptions = {}): Promise<Captured> {
  const forms = secretForms([...workdir.secrets, ...(options.secrets ?? [])]);
  const command = redactText(`terraform ${args.join(" ")}`, forms);
  const ok = new Set([0, ...(options.okExitCodes ?? [])]);
  return new Promise((resolve, reject) => {
    if (workdir.signal?.aborted) return reject(new TerraformCommandError(`${command} was cancelled before it started`, command, null, ""));
    const stdout = new CappedOutput(workdir.maxOutputBytes);
    const stderr = new CappedOutput(workdir.maxOutputBytes);
    const child = spawn(workdir.binary, args, { cwd: workdir.dir, env: workdir.env, stdio: ["ignore", "pipe", "pipe"] });
    let stopped: string | undefined;
    let killer: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (stopped) return;
      stopped = why;
      child.kill("SIGINT");
      killer = setTimeout(() => child.kill("SIGKILL"), workdir.killGraceMs);
    };
    const timer = setTimeout(() => stop(`ran longer than ${workdir.timeoutMs} ms (STAGECOACH_TERRAFORM_TIMEOUT_MS)`), workdir.timeoutMs);
    const onAbort = () => stop("was cancelled");
    workdir.signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(killer);
      workdir.signal?.removeEventListener("abort", onAbort);
    };
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      settle();
      reject(new TerraformCommandError(`cannot run ${workdir.binary} (${error.code ?? error.message}); check STAGECOACH_TERRAFORM_PATH`, command, null, ""));
    });
    child.on("close", (code, signal) => {
      settle();
      const errors = stderr.text(forms).trim();
      const output = stdout.text(forms).trim();
      const log = [errors, output].filter(Boolean).join("\n");
      // Terraform writes its errors to stderr; without any, the end of stdout says what happened.
      const detail = lastLines(errors || output);
      if (stopped) {
        const how = signal === "SIGKILL" ? `was killed ${workdir.killGraceMs} ms after the interrupt` : "was interrupted";
        return reject(new TerraformCommandError(`${command} ${stopped}, so it ${how}${detail}`, command, code, log, stopped));
      }
      if (code === null || !ok.has(code)) {
        return reject(new TerraformCommandError(`${command} failed (exit ${code ?? signal}) in ${workdir.dir}${detail}`, command, code, log));
      }
      resolve({ exitCode: code, stdout, stderr, forms });
    });
  });
}

/** Keeps the first `cap` bytes and the last TAIL_BYTES of a stream, counting what falls between. */
export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    if (this.headBytes < this.cap) {
      const part = rest.subarray(0, this.cap - this.headBytes);
      this.head.push(part);
      this.headBytes += part.length;
      rest = rest.subarray(part.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes > TAIL_BYTES) {
      const first = this.tail[0] as Buffer;
      const excess = Math.min(first.length, this.tailBytes - TAIL_BYTES);
      if (excess === first.length) this.tail.shift();
      else this.tail[0] = first.subarray(excess);
      this.tailBytes -= excess;
      this.dropped += excess;
    }
  }

  /** The whole output, unredacted; undefined when it was longer than the cap. */
  whole(): string | undefined {
    return this.tailBytes + this.dropped > 0 ? undefined : Buffer.concat(this.head).toString("utf8");
  }

  /** The output with secrets redacted, and a marker where bytes were not kept. */
  text(forms: readonly string[]): string {
    if (this.dropped === 0) return redactText(Buffer.concat([...this.head, ...this.tail]).toString("utf8"), forms);
    // A secret cut in two escapes redaction in part: after redacting, drop what could be such a part at both cuts.
    const margin = Math.max((forms[0]?.length ?? 0) - 1, 0);
    const head = redactText(Buffer.concat(this.head).toString("utf8"), forms);
    const tail = redactText(Buffer.concat(this.tail).toString("utf8"), forms);
    return `${head.slice(0, Math.max(head.length - margin, 0))}\n[… ${this.dropped} bytes of output not kept …]\n${tail.slice(margin)}`;
  }
}

function lastLines(log: string, count = 20): string {
  if (log === "") return "";
  return `:\n${log.split("\n").slice(-count).join("\n")}`;
}

/** The JSON a terraform command prints on stdout, unredacted: the caller redacts what it derives from it. */
export async function captureTerraformJson(workdir: TerraformWorkdir, args: string[]): Promise<{ json: unknown; forms: string[] }> {
  const captured = await captureTerraform(workdir, args);
  const command = redactText(`terraform ${args.join(" ")}`, captured.forms);
  const text = captured.stdout.whole();
  if (text === undefined) throw new Error(`${command} printed more than ${workdir.maxOutputBytes} bytes, more than Stagecoach reads`);
  try {
    return { json: JSON.parse(text) as unknown, forms: captured.forms };
  } catch {
    throw new Error(`${command} did not print JSON (it printed "${redactText(text.slice(0, 80), captured.forms)}"); point STAGECOACH_TERRAFORM_PATH at a Terraform binary`);
  }
}
