import path from "node:path";
import { DEFAULT_RENDERED_PLAN_CHARS } from "./plan-terraform.js";
import { redactText } from "./redact-secrets.js";
import { captureTerraform, TerraformCommandError } from "./run-terraform.js";
import { summarizeApplyLog } from "./summarize-apply-log.js";
import { truncateText } from "./truncate-text.js";
import type { ApplySummary, TerraformWorkdir } from "./types.js";

export interface TerraformApply {
  summary: ApplySummary;
  /** What the apply did, one line per message, redacted and cut to maxChars. */
  log: string;
}

/**
 * Applies a saved plan (`terraform apply -input=false -json <plan>`): no approval prompt, and
 * nothing but what the plan holds; a plan made stale by a newer state is refused by Terraform.
 * A failure throws TerraformCommandError whose message names the errors and whose log is the
 * readable, redacted log of what happened.
 */
export async function applyTerraformPlan(workdir: TerraformWorkdir, planFile: string, options: { maxChars?: number } = {}): Promise<TerraformApply> {
  const maxChars = options.maxChars ?? DEFAULT_RENDERED_PLAN_CHARS;
  const cut = (lines: string[], forms: string[]) =>
    truncateText(redactText(lines.join("\n"), forms), maxChars, (omitted) => `[… ${omitted} more characters of the log not shown]`);
  const file = path.resolve(workdir.dir, planFile);
  try {
    const captured = await captureTerraform(workdir, ["apply", "-input=false", "-no-color", "-json", file]);
    const applied = summarizeApplyLog(captured.stdout.text(captured.forms));
    return { summary: applied.summary ?? { added: 0, changed: 0, destroyed: 0, imported: 0 }, log: cut(applied.lines, captured.forms) };
  } catch (error) {
    if (!(error instanceof TerraformCommandError) || error.exitCode === null) throw error;
    // The error's log is already redacted; read it back as the messages a person would have seen.
    const failed = summarizeApplyLog(error.log);
    const errors = failed.errors.length > 0 ? `: ${[...new Set(failed.errors)].join("; ")}` : "";
    const what = error.stoppedBecause ? `${error.command} ${error.stoppedBecause}, so it was interrupted` : `terraform apply of ${path.basename(file)} failed (exit ${error.exitCode})`;
    throw new TerraformCommandError(`${what}${errors}`, error.command, error.exitCode, cut(failed.lines, []), error.stoppedBecause);
  }
}
