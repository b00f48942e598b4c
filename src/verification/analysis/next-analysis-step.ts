import { isTerminating } from "./assess-analysis-run.js";
import type { AnalysisPhase, AnalysisRun, RunMetric } from "./types.js";
import { isCompleted } from "./types.js";

/** After a measurement that errored, the metric is tried again this much later (Rollouts' DefaultErrorRetryInterval). */
export const ERROR_RETRY_INTERVAL_MS = 10_000;

/** What a run needs next: measurements now, a wait, or nothing (it is complete). */
export type AnalysisStep =
  | { kind: "measure"; metrics: string[] }
  | { kind: "wait"; until: string; metrics: string[] }
  | { kind: "complete"; phase: AnalysisPhase; message?: string };

/**
 * Which metrics are due at `now`, or when the next one will be (Rollouts' generateMetricTasks and
 * calculateNextReconcileTime): a metric's first measurement after its initialDelay from the
 * run's start, the next one an interval after the last finished (10 s after an error), none once
 * its count is reached, and none at all once the run is terminating.
 */
export function nextAnalysisStep(run: AnalysisRun, now: Date): AnalysisStep {
  if (isCompleted(run.phase)) return { kind: "complete", phase: run.phase, ...(run.message ? { message: run.message } : {}) };
  const due = new Map<string, number>();
  if (!isTerminating(run)) {
    for (const metric of run.metrics) {
      const at = dueAt(run, metric);
      if (at !== undefined) due.set(metric.name, at);
    }
  }
  const ready = [...due].filter(([, at]) => at <= now.getTime()).map(([name]) => name);
  if (ready.length > 0) return { kind: "measure", metrics: ready };
  const earliest = Math.min(...due.values());
  if (Number.isFinite(earliest)) {
    return { kind: "wait", until: new Date(earliest).toISOString(), metrics: [...due].filter(([, at]) => at === earliest).map(([name]) => name) };
  }
  // Nothing left to measure: the run is settled by its assessment (recordMeasurement and terminate keep it assessed).
  return { kind: "complete", phase: run.phase, ...(run.message ? { message: run.message } : {}) };
}

function dueAt(run: AnalysisRun, metric: RunMetric): number | undefined {
  const result = run.metricResults.find((r) => r.name === metric.name);
  if (result && isCompleted(result.phase)) return undefined;
  const last = result?.measurements.at(-1);
  if (!result || !last) return Date.parse(run.startedAt) + (metric.schedule.initialDelayMs ?? 0);
  if (metric.schedule.count !== undefined && result.count >= metric.schedule.count) return undefined;
  const finishedAt = Date.parse(last.finishedAt ?? last.startedAt);
  if (last.phase === "Error") return finishedAt + ERROR_RETRY_INTERVAL_MS;
  if (metric.schedule.intervalMs === undefined) return undefined;
  return finishedAt + metric.schedule.intervalMs;
}
