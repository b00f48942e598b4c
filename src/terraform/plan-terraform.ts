import path from "node:path";
import { redactValue } from "./redact-secrets.js";
import { captureTerraformJson, runTerraform } from "./run-terraform.js";
import { summarizePlan } from "./summarize-plan.js";
import { truncateText } from "./truncate-text.js";
import type { PlanSummary, TerraformWorkdir } from "./types.js";

export const DEFAULT_RENDERED_PLAN_CHARS = 60_000;

export interface PlanOptions {
  /** -var-file arguments, relative to the workdir or absolute. */
  varFiles?: string[];
  /** Where the saved plan goes; stagecoach.tfplan in the workdir unless given. */
  planFile?: string;
  /** Plan to destroy everything (-destroy). */
  destroy?: boolean;
  /** Most characters of the rendered plan and of the log that are kept. */
  maxChars?: number;
}

export interface TerraformPlan {
  /** The saved plan (it holds variable values in clear: keep it where secrets may be kept). */
  planFile: string;
  summary: PlanSummary;
  /** `terraform show -no-color` of the saved plan, redacted and cut to maxChars. */
  rendered: string;
  /** What terraform plan printed, redacted and cut to maxChars. */
  log: string;
}

/**
 * `terraform plan -input=false -out=<file>`, then reads the saved plan back: the summary from
 * `terraform show -json`, the text reviewers read from `terraform show -no-color`. The same saved
 * file is what applyTerraformPlan applies, so the apply does exactly what was reviewed.
 */
export async function planTerraform(workdir: TerraformWorkdir, options: PlanOptions = {}): Promise<TerraformPlan> {
  const planFile = path.resolve(workdir.dir, options.planFile ?? "stagecoach.tfplan");
  const maxChars = options.maxChars ?? DEFAULT_RENDERED_PLAN_CHARS;
  const args = ["plan", "-input=false", "-no-color", `-out=${planFile}`, ...(options.destroy ? ["-destroy"] : []), ...(options.varFiles ?? []).map((file) => `-var-file=${file}`)];
  const planned = await runTerraform(workdir, args);
  const shown = await captureTerraformJson(workdir, ["show", "-json", planFile]);
  const summary = redactValue(summarizePlan(shown.json), shown.forms) as PlanSummary;
  const rendered = await runTerraform(workdir, ["show", "-no-color", planFile]);
  const cut = (text: string, what: string) => truncateText(text, maxChars, (omitted) => `[… ${omitted} more characters of the ${what} not shown]`);
  return { planFile, summary, rendered: cut(rendered.stdout, "plan"), log: cut(planned.stdout, "log") };
}
