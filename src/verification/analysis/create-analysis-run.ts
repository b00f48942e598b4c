import { RE2JS } from "re2js";
import { parseDuration } from "../../promotion/expressions/expr-lang/go-duration.js";
import { substituteArgsDeep } from "./substitute-args.js";
import type { AnalysisRun, AnalysisTemplate, ArgSpec, IntOrString, MetricSchedule, MetricSpec, RunArg, RunMetric } from "./types.js";

/** Rollouts' defaults. */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
export const DEFAULT_MEASUREMENT_RETENTION = 10;
/** What a secret arg reads as while the run's numbers are worked out (as Rollouts does): secrets only reach providers. */
const SECRET_STAND_IN = "temp-for-secret";
/** Stays within Go's time.Duration, and a metric can still be judged within a human lifetime. */
const MAX_SCHEDULE_MS = 366 * 24 * 3600 * 1000;
/** A template cannot make the App measure in a tight loop. */
const MIN_INTERVAL_MS = 1000;

export interface AnalysisRunRequest {
  /** The stage's templates, in the order its verification names them. */
  templates: readonly AnalysisTemplate[];
  /** The stage's `verification.args`, already evaluated: they override the templates' defaults. */
  args?: readonly { name: string; value: string }[];
  now: Date;
}

/**
 * Makes the AnalysisRun for a stage's templates, as Rollouts' NewAnalysisRunFromTemplates does:
 * metrics from every template (names unique), args merged (the stage's values win over defaults,
 * two different defaults for one name are an error), dry-run and retention rules applied. A spec
 * that cannot run gives a run already in phase Error whose message says why, so the check run
 * shows it like any other result.
 */
export function createAnalysisRun(request: AnalysisRunRequest): AnalysisRun {
  const startedAt = request.now.toISOString();
  const base: AnalysisRun = {
    kind: "AnalysisRun",
    version: 1,
    templates: request.templates.map((t) => ({ kind: t.kind, name: t.name })),
    args: [],
    metrics: [],
    terminate: false,
    phase: "Running",
    startedAt,
    metricResults: [],
  };
  try {
    const args = mergeArgs(request.templates, request.args ?? []);
    const specs = flattenMetrics(request.templates);
    const dryRun = matchRules(
      request.templates.flatMap((t) => t.dryRun.map((metricName) => ({ metricName }))),
      specs,
      "dryRun",
    );
    const retention = matchRules(
      request.templates.flatMap((t) => t.measurementRetention),
      specs,
      "measurementRetention",
    );
    const controlArgs = new Map(args.map((arg) => [arg.name, "value" in arg ? arg.value : SECRET_STAND_IN]));
    const metrics: RunMetric[] = specs.map((spec, index) => {
      const resolved = substituteArgsDeep(spec, controlArgs);
      const limit = retention.get(spec.name) as { limit: number } | undefined;
      return {
        name: spec.name,
        schedule: readSchedule(resolved, `metrics[${index}] (${spec.name})`),
        dryRun: dryRun.has(spec.name),
        retention: limit && limit.limit > 0 ? limit.limit : DEFAULT_MEASUREMENT_RETENTION,
        spec,
      };
    });
    if (metrics.length === 0) throw new Error("no metrics specified");
    return { ...base, args, metrics };
  } catch (error) {
    return { ...base, phase: "Error", message: `Analysis spec invalid: ${(error as Error).message}`, completedAt: startedAt };
  }
}

function mergeArgs(templates: readonly AnalysisTemplate[], supplied: readonly { name: string; value: string }[]): RunArg[] {
  const merged = new Map<string, ArgSpec>();
  for (const template of templates) {
    for (const arg of template.args) {
      const previous = merged.get(arg.name);
      if (previous?.value !== undefined && arg.value !== undefined && previous.value !== arg.value) {
        throw new Error(`arg "${arg.name}" has two different values in the templates ("${previous.value}", "${arg.value}"); give it one value in the stage's verification.args`);
      }
      if (previous?.value === undefined && previous?.valueFrom === undefined) merged.set(arg.name, arg);
    }
  }
  // As in Rollouts, a value the stage gives for an arg no template declares is ignored.
  for (const arg of supplied) {
    if (merged.has(arg.name)) merged.set(arg.name, { name: arg.name, value: arg.value });
  }
  return [...merged.values()].map((arg) => {
    if (arg.value !== undefined) return { name: arg.name, value: arg.value };
    if (arg.valueFrom) return { name: arg.name, secretKeyRef: arg.valueFrom.secretKeyRef };
    throw new Error(`args.${arg.name} was not resolved: give it a value in the stage's verification.args, or a default in the template`);
  });
}

function flattenMetrics(templates: readonly AnalysisTemplate[]): MetricSpec[] {
  const seen = new Set<string>();
  const metrics = templates.flatMap((t) => t.metrics);
  for (const metric of metrics) {
    if (seen.has(metric.name)) throw new Error(`two metrics have the same name "${metric.name}"; rename one of them`);
    seen.add(metric.name);
  }
  return metrics;
}

/** Rules whose metricName is an RE2 pattern (linear time, unanchored like Go's MatchString); each must match a metric. */
function matchRules<R extends { metricName: string }>(rules: readonly R[], metrics: readonly MetricSpec[], field: string): Map<string, R> {
  const matched = new Map<string, R>();
  rules.forEach((rule, index) => {
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(rule.metricName);
    } catch (error) {
      throw new Error(`${field}[${index}]: metricName is not a regular expression: ${(error as Error).message}`);
    }
    const names = metrics.map((m) => m.name).filter((name) => pattern.matcher(name).find());
    if (names.length === 0) throw new Error(`${field}[${index}]: "${rule.metricName}" matches no metric name`);
    for (const name of names) matched.set(name, rule);
  });
  return matched;
}

/** The numbers of one metric, checked as Rollouts' ValidateMetric checks them. */
function readSchedule(metric: MetricSpec, where: string): MetricSchedule {
  const int = (value: IntOrString | undefined, field: string, fallback: number): number => {
    if (value === undefined) return fallback;
    const number = typeof value === "number" ? value : Number(value.trim());
    if (!Number.isSafeInteger(number)) throw new Error(`${where}: ${field} "${value}" is not a whole number`);
    return number;
  };
  const ms = (value: string | undefined, field: string): number | undefined => {
    if (value === undefined || value === "") return undefined;
    let result: number;
    try {
      result = parseDuration(value).ns / 1e6;
    } catch (error) {
      throw new Error(`${where}: ${field}: ${(error as Error).message}`);
    }
    if (result < 0 || result > MAX_SCHEDULE_MS) throw new Error(`${where}: ${field} "${value}" must be between 0s and 8784h`);
    return result;
  };
  const count = int(metric.count, "count", 0);
  const failureLimit = int(metric.failureLimit, "failureLimit", 0);
  const inconclusiveLimit = int(metric.inconclusiveLimit, "inconclusiveLimit", 0);
  const consecutiveErrorLimit = int(metric.consecutiveErrorLimit, "consecutiveErrorLimit", DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  const consecutiveSuccessLimit = int(metric.consecutiveSuccessLimit, "consecutiveSuccessLimit", 0);
  const intervalMs = ms(metric.interval, "interval");
  const initialDelayMs = ms(metric.initialDelay, "initialDelay");
  const fail = (message: string): never => {
    throw new Error(`${where}: ${message}`);
  };
  if (count < 0) fail("count must be >= 0");
  if (consecutiveSuccessLimit < 0) fail("consecutiveSuccessLimit must be >= 0");
  if (failureLimit < -1) fail("failureLimit must be >= 0, or -1 to turn it off");
  if (consecutiveSuccessLimit === 0 && failureLimit === -1) fail("failureLimit and consecutiveSuccessLimit cannot both be off");
  if (inconclusiveLimit < 0) fail("inconclusiveLimit must be >= 0");
  if (consecutiveErrorLimit < 0) fail("consecutiveErrorLimit must be >= 0");
  if (count > 0) {
    if (failureLimit >= 0 && count < failureLimit + consecutiveSuccessLimit) {
      fail(`count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${consecutiveSuccessLimit})`);
    }
    if (failureLimit < 0 && count < consecutiveSuccessLimit) fail("count must be >= consecutiveSuccessLimit");
    if (count < inconclusiveLimit) fail("count must be >= inconclusiveLimit");
  }
  if (count > 1 && intervalMs === undefined) fail("interval must be given when count > 1");
  if (intervalMs !== undefined && intervalMs < MIN_INTERVAL_MS) fail(`interval must be at least ${MIN_INTERVAL_MS / 1000}s`);
  // Rollouts' EffectiveCount: neither count nor interval means one measurement; an interval alone, until terminated.
  const effectiveCount = count > 0 ? count : intervalMs === undefined ? 1 : undefined;
  return {
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(initialDelayMs !== undefined ? { initialDelayMs } : {}),
    ...(effectiveCount !== undefined ? { count: effectiveCount } : {}),
    failureLimit,
    inconclusiveLimit,
    consecutiveErrorLimit,
    consecutiveSuccessLimit,
  };
}
