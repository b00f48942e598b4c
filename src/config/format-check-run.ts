import { formatDiagnostic, type Diagnostic } from "./diagnostic.js";
import { describeProject } from "./describe-project.js";
import type { ValidationResult } from "./validate-project.js";

/** GitHub accepts at most this many annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
export const CONFIG_CHECK_NAME = "stagecoach/config";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning";
  message: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

export interface ConfigCheckRun {
  name: typeof CONFIG_CHECK_NAME;
  conclusion: "success" | "failure";
  /** Send the first with the create request and each further one as an update (50 annotations each). */
  outputs: CheckRunOutput[];
}

export interface CheckRunOptions {
  /** Set on the default branch when the broken config did not replace the running one. */
  lastGood?: { sha: string };
  /** Whether a diagnostic's file is in the checked repository (others go in the summary). */
  inRepository?: (file: string) => boolean;
}

const LEVEL = { error: "failure", warning: "warning" } as const;

/** Turns a validation result into `stagecoach/config` check-run output, batched as GitHub requires. */
export function formatCheckRun(result: Pick<ValidationResult, "diagnostics" | "valid" | "project">, options: CheckRunOptions = {}): ConfigCheckRun {
  const inRepository = options.inRepository ?? ((file: string) => !file.includes(":"));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const title = result.valid ? (warnings ? `Config is valid (${count(warnings, "warning")})` : "Config is valid") : `Config has ${count(errors, "error")}${warnings ? ` and ${count(warnings, "warning")}` : ""}`;
  const lines: string[] = [];
  if (result.valid && result.project) lines.push(describeProject(result.project));
  if (!result.valid && options.lastGood) lines.push(`This config was not applied: Stagecoach keeps running the last good config (from ${options.lastGood.sha.slice(0, 7)}) until these errors are fixed.`);
  const elsewhere = result.diagnostics.filter((d) => !inRepository(d.file));
  if (elsewhere.length) lines.push("", "In files outside this repository:", "", ...elsewhere.map((d) => `- \`${formatDiagnostic(d)}\``));
  const annotations = result.diagnostics.filter((d) => inRepository(d.file)).map(toAnnotation);
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const summary = lines.join("\n") || title;
  return {
    name: CONFIG_CHECK_NAME,
    conclusion: result.valid ? "success" : "failure",
    outputs: (batches.length ? batches : [[]]).map((batch) => ({ title, summary, annotations: batch })),
  };
}

function toAnnotation(d: Diagnostic): CheckRunAnnotation {
  const annotation: CheckRunAnnotation = { path: d.file.replace(/^\.\//, ""), start_line: d.line, end_line: Math.max(d.line, d.endLine), annotation_level: LEVEL[d.severity], message: d.message };
  // GitHub only takes columns on single-line annotations.
  if (annotation.start_line === annotation.end_line) {
    annotation.start_column = d.column;
    annotation.end_column = Math.max(d.column, d.endColumn);
  }
  return annotation;
}
