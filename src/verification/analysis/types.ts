import type { JsonValue } from "../../promotion/expressions/index.js";

/** Argo Rollouts' AnalysisPhase, for a measurement, a metric and a whole run. */
export type AnalysisPhase = "Pending" | "Running" | "Successful" | "Failed" | "Error" | "Inconclusive";

export const COMPLETED_PHASES: ReadonlySet<AnalysisPhase> = new Set(["Successful", "Failed", "Error", "Inconclusive"]);

export function isCompleted(phase: AnalysisPhase): boolean {
  return COMPLETED_PHASES.has(phase);
}

/** One HTTP header as Rollouts writes them: `{ key, value }`. */
export interface HeaderSpec {
  key: string;
  value: string;
}

export interface PrometheusProviderSpec {
  /** Empty means the operator's default Prometheus (AnalysisSettings.prometheus.defaultAddress). */
  address?: string;
  query: string;
  /** Seconds (Rollouts' unit); 30 when absent. */
  timeout?: number;
  insecure?: boolean;
  headers?: HeaderSpec[];
  authentication?: { basicAuth?: { username: string; password: string } };
  rangeQuery?: { start: string; end: string; step: string };
}

export interface WebProviderSpec {
  url: string;
  method?: "GET" | "POST" | "PUT";
  headers?: HeaderSpec[];
  body?: string;
  jsonBody?: JsonValue;
  /** Seconds; 10 when absent or not positive (as Rollouts does). */
  timeoutSeconds?: number;
  /** Kubernetes JSONPath in braces, `{$.data.ok}`; the whole body when absent. */
  jsonPath?: string;
  insecure?: boolean;
}

/** The providers Stagecoach runs; every other one is refused when the template is read. */
export interface ProviderSpec {
  prometheus?: PrometheusProviderSpec;
  web?: WebProviderSpec;
}

export type ProviderKind = keyof ProviderSpec;

/** An int field that may still hold `{{args.x}}` until the run is created (Rollouts' IntOrString). */
export type IntOrString = number | string;

/** One entry of `spec.metrics`, as the template has it (placeholders not yet replaced). */
export interface MetricSpec {
  name: string;
  interval?: string;
  initialDelay?: string;
  count?: IntOrString;
  failureLimit?: IntOrString;
  inconclusiveLimit?: IntOrString;
  consecutiveErrorLimit?: IntOrString;
  consecutiveSuccessLimit?: IntOrString;
  successCondition?: string;
  failureCondition?: string;
  provider: ProviderSpec;
}

/** A `spec.args` entry: a value (possibly a default the stage overrides), or one of the operator's secrets. */
export interface ArgSpec {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface AnalysisTemplate {
  kind: "AnalysisTemplate" | "ClusterAnalysisTemplate";
  name: string;
  args: ArgSpec[];
  metrics: MetricSpec[];
  /** Regular expressions (RE2) over metric names: those metrics run but never decide the run. */
  dryRun: string[];
  measurementRetention: { metricName: string; limit: number }[];
}

/** Argo Rollouts' Measurement: one point-in-time result of a metric. */
export interface Measurement {
  phase: AnalysisPhase;
  value?: string;
  message?: string;
  startedAt: string;
  finishedAt?: string;
  metadata?: Record<string, string>;
}

/** Argo Rollouts' MetricResult: a metric's counters, phase and latest measurements. */
export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  message?: string;
  /** Measurements that were not Error: successful + failed + inconclusive. */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  consecutiveSuccess: number;
  dryRun: boolean;
  /** The newest measurements, oldest first; older ones are dropped past the metric's retention limit. */
  measurements: Measurement[];
  /** How many older measurements were dropped to keep the record within its budget. */
  dropped: number;
}

/** The numbers that schedule and judge a metric, read once when the run is created. */
export interface MetricSchedule {
  intervalMs?: number;
  initialDelayMs?: number;
  /** Measurements to take; undefined means "until the run is terminated" (interval without count). */
  count?: number;
  /** -1 turns the limit off (only with consecutiveSuccessLimit). */
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  /** 0 means off. */
  consecutiveSuccessLimit: number;
}

export interface RunMetric {
  name: string;
  schedule: MetricSchedule;
  dryRun: boolean;
  /** Measurements kept in the record (Rollouts' measurementRetention; 10 by default). */
  retention: number;
  /** The template's metric with its `{{args.x}}` placeholders: resolved for each measurement, never stored resolved. */
  spec: MetricSpec;
}

/** A run's argument: a plain value, or a reference to the operator's secret (its value is never stored). */
export type RunArg = { name: string; value: string } | { name: string; secretKeyRef: { name: string; key: string } };

/**
 * An AnalysisRun as Stagecoach keeps it between measurements (in a check run): plain JSON that
 * round-trips through analysis-run-record.ts. It holds no secret value: secret arguments stay
 * references and are looked up for each measurement.
 */
export interface AnalysisRun {
  kind: "AnalysisRun";
  version: 1;
  templates: { kind: AnalysisTemplate["kind"]; name: string }[];
  args: RunArg[];
  metrics: RunMetric[];
  terminate: boolean;
  phase: AnalysisPhase;
  message?: string;
  startedAt: string;
  completedAt?: string;
  metricResults: MetricResult[];
}
