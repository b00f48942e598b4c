import type { Diagnostic } from "./diagnostic.js";
import { describeProject } from "./describe-project.js";
import type { ValidationResult } from "./validate-project.js";

/** GitHub accepts at most this many annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations sent for one check (ten requests); past them the summary says how many more there are. */
export const MAX_ANNOTATIONS = 500;
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
}

const LEVEL = { error: "failure", warning: "warning" } as const;

/** A file of another repository, as config sources label them: `owner/repo:path`. */
const OTHER_REPOSITORY_FILE = /^[^/:\s]+\/[^/:\s]+:./;

/**
 * Turns a validation result into `stagecoach/config` check-run output, batched as GitHub requires.
 * The check run is shown to whoever opened the pull request; a file of another repository of the
 * installation (a private org default, say) is summarised by its problem count, never by its keys,
 * values or lines.
 */
export function formatCheckRun(result: Pick<ValidationResult, "diagnostics" | "valid" | "project">, options: CheckRunOptions = {}): ConfigCheckRun {
  const inRepository = (file: string) => !OTHER_REPOSITORY_FILE.test(file);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  const title = result.valid ? (warnings ? `Config is valid (${count(warnings, "warning")})` : "Config is valid") : `Config has ${count(errors, "error")}${warnings ? ` and ${count(warnings, "warning")}` : ""}`;
  const lines: string[] = [];
  if (result.valid && result.project) lines.push(describeProject(result.project));
  if (!result.valid && options.lastGood) lines.push(`This config was not applied: Stagecoach keeps running the last good config (from ${options.lastGood.sha.slice(0, 7)}) until these errors are fixed.`);
  const elsewhere = result.diagnostics.filter((d) => !inRepository(d.file));
  if (elsewhere.length) lines.push("", "In files of other repositories (their content is not shown here, as those repositories may be private):", "", ...describeElsewhere(elsewhere));
  const all = result.diagnostics.filter((d) => inRepository(d.file)).map(toAnnotation);
  const annotations = all.slice(0, MAX_ANNOTATIONS);
  if (all.length > annotations.length) lines.push("", `${all.length - annotations.length} more problems are not shown as annotations: run \`npx stagecoach validate .\` in a checkout to see them all.`);
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const summary = lines.join("\n") || title;
  return {
    name: CONFIG_CHECK_NAME,
    conclusion: result.valid ? "success" : "failure",
    outputs: (batches.length ? batches : [[]]).map((batch) => ({ title, summary, annotations: batch })),
  };
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One line per file of another repository: how many problems, and who can see them. */
function describeElsewhere(diagnostics: Diagnostic[]): string[] {
  const byFile = new Map<string, { errors: number; warnings: number }>();
  for (const d of diagnostics) {
    const tally = byFile.get(d.file) ?? { errors: 0, warnings: 0 };
    if (d.severity === "error") tally.errors += 1;
    else tally.warnings += 1;
    byFile.set(d.file, tally);
  }
  return [...byFile].map(([file, tally]) => {
    const [repository, path] = [file.slice(0, file.indexOf(":")), file.slice(file.indexOf(":") + 1)];
    const problems = [tally.errors ? count(tally.errors, "error") : "", tally.warnings ? count(tally.warnings, "warning") : ""].filter(Boolean).join(" and ");
    return `- \`${file}\` (read through \`_extends\`) has ${problems}. The owners of ${repository} can see them with \`npx stagecoach validate ${path}\` in a checkout of it.`;
  });
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
