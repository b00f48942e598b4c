import type { NamedValues } from "../../promotion/expressions/index.js";
import { substituteArgsDeep } from "./substitute-args.js";
import type { AnalysisRun, MetricSpec } from "./types.js";

export interface ResolvedMetric {
  metric: MetricSpec;
  /** The secret values that went in, so whatever the measurement says can be redacted. */
  secrets: string[];
}

/**
 * The metric ready to measure: every `{{args.name}}` replaced, an arg with valueFrom.secretKeyRef
 * read from the operator's secrets for the project (the same values `secret()` reads in
 * expressions; Stagecoach has no Kubernetes Secrets). The result holds secret values: use it for
 * one measurement and never store it.
 */
export function resolveMetric(run: AnalysisRun, metricName: string, secrets: NamedValues = {}): ResolvedMetric {
  const metric = run.metrics.find((m) => m.name === metricName);
  if (!metric) throw new Error(`the run has no metric "${metricName}"`);
  const revealed: string[] = [];
  const values = new Map<string, string>();
  for (const arg of run.args) {
    if ("value" in arg) {
      values.set(arg.name, arg.value);
      continue;
    }
    const { name, key } = arg.secretKeyRef;
    const secret = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    if (!secret) throw new Error(`args.${arg.name}: no secret "${name}" among the operator's secrets for this project; ask the App's operator to add it (projects.<project>.secrets.${name}.${key})`);
    const value = Object.hasOwn(secret, key) ? secret[key] : undefined;
    if (value === undefined) throw new Error(`args.${arg.name}: key '${key}' does not exist in secret '${name}'`);
    values.set(arg.name, value);
    revealed.push(value);
  }
  return { metric: substituteArgsDeep(metric.spec, values), secrets: revealed };
}
