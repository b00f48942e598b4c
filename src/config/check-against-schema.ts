import type { z } from "zod";
import { diagnosticAt, type DataPath, type Diagnostic, type SourcePosition } from "./diagnostic.js";

export interface SchemaCheck<T> {
  /** Undefined when there were errors. */
  data: T | undefined;
  diagnostics: Diagnostic[];
}

const MAX_PASSES = 20;

/**
 * Parses `value` with a zod schema. Unknown fields are warnings, not errors (Kargo manifests
 * carry fields we do not support yet): each is reported, then removed and the parse retried.
 */
export function checkAgainstSchema<S extends z.ZodType>(schema: S, value: unknown, locate: (path: DataPath) => SourcePosition, label: (path: DataPath) => string = dotted): SchemaCheck<z.output<S>> {
  const diagnostics: Diagnostic[] = [];
  let current = value;
  let copied = false;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    // reportInput: an issue keeps the value it is about, so a wrong value is not taken for a missing one.
    const result = schema.safeParse(current, { reportInput: true });
    if (result.success) return { data: result.data, diagnostics };
    const unknown = result.error.issues.filter((i) => i.code === "unrecognized_keys");
    const others = result.error.issues.filter((i) => i.code !== "unrecognized_keys");
    for (const issue of unknown) {
      for (const key of (issue as { keys: string[] }).keys) {
        const path = [...(issue.path as (string | number)[]), key];
        diagnostics.push(diagnosticAt(locate(path), "warning", `${label(path)}: unsupported field, ignored (remove it, or check its spelling)`));
        // Copy only when there is something to remove: the caller's data stays untouched.
        if (!copied) {
          current = structuredClone(current);
          copied = true;
        }
        current = withoutKey(current, issue.path as (string | number)[], key);
      }
    }
    if (unknown.length === 0 || others.some((i) => !isInside(i.path as (string | number)[], unknown))) {
      for (const issue of others) {
        const path = issue.path as (string | number)[];
        diagnostics.push(diagnosticAt(locate(path), "error", `${label(path)}: ${describeIssue(issue)}`));
      }
      return { data: undefined, diagnostics };
    }
  }
  return { data: undefined, diagnostics };
}

// Errors from an object that also had unknown keys may be caused by them; re-check after removal.
function isInside(path: (string | number)[], unknown: z.core.$ZodIssue[]): boolean {
  return unknown.some((u) => u.path.every((segment, i) => path[i] === segment));
}

function withoutKey(value: unknown, path: (string | number)[], key: string): unknown {
  let node = value as Record<string | number, unknown>;
  for (const segment of path) node = node[segment] as Record<string | number, unknown>;
  delete node[key];
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return `required field is missing (expected ${issue.expected})`;
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

export function dotted(path: DataPath): string {
  return path.reduce<string>((text, segment) => (typeof segment === "number" ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), "") || "(document)";
}
