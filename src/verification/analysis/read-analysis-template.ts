import type { z } from "zod";
import type { DataPath } from "../../config/diagnostic.js";
import { AnalysisTemplateSchema, type AnalysisTemplateDocument } from "./analysis-template-schema.js";
import type { AnalysisTemplate, MetricSpec } from "./types.js";

/** Something wrong in a template, at a path into the document (the config loader turns it into a line and column). */
export interface TemplateProblem {
  path: DataPath;
  message: string;
}

export type TemplateReading = { template: AnalysisTemplate; problems: [] } | { template?: undefined; problems: TemplateProblem[] };

/**
 * Reads one AnalysisTemplate or ClusterAnalysisTemplate document (a plain object, as parsed from
 * YAML). Every problem names its field; unsupported providers and Kubernetes-only arguments are
 * refused here, with the fix, rather than failing later when the run measures.
 */
export function readAnalysisTemplate(document: unknown): TemplateReading {
  const parsed = AnalysisTemplateSchema.safeParse(document);
  if (!parsed.success) return { problems: parsed.error.issues.map(toProblem) };
  return { template: toTemplate(parsed.data), problems: [] };
}

function toTemplate(document: AnalysisTemplateDocument): AnalysisTemplate {
  const { spec } = document;
  return {
    kind: document.kind,
    name: document.metadata.name,
    args: (spec.args ?? []).map((arg) => ({
      name: arg.name,
      ...(arg.value !== undefined ? { value: arg.value } : {}),
      ...(arg.valueFrom?.secretKeyRef ? { valueFrom: { secretKeyRef: arg.valueFrom.secretKeyRef } } : {}),
    })),
    metrics: spec.metrics as MetricSpec[],
    dryRun: (spec.dryRun ?? []).map((rule) => rule.metricName),
    measurementRetention: spec.measurementRetention ?? [],
  };
}

function toProblem(issue: z.core.$ZodIssue): TemplateProblem {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
  const label = path.length ? `${path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("").slice(1)}: ` : "";
  const message = issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")} (remove it, or check its spelling)` : issue.message;
  return { path, message: `${label}${message}` };
}
