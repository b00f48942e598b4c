import { assessAnalysisRun } from "./assess-analysis-run.js";
import type { AnalysisRun, Measurement, MetricResult } from "./types.js";
import { isCompleted } from "./types.js";

/** Longest value or message kept per measurement: the record lives in a check run with a size limit. */
export const MAX_MEASUREMENT_TEXT = 1_000;

/** How each finished phase moves a metric's counters (Rollouts' runMeasurements). */
const COUNTERS: Record<string, (r: MetricResult) => void> = {
  Successful: (r) => {
    r.successful += 1;
    r.count += 1;
    r.consecutiveError = 0;
    r.consecutiveSuccess += 1;
  },
  Failed: (r) => {
    r.failed += 1;
    r.count += 1;
    r.consecutiveError = 0;
    r.consecutiveSuccess = 0;
  },
  Inconclusive: (r) => {
    r.inconclusive += 1;
    r.count += 1;
    r.consecutiveError = 0;
    r.consecutiveSuccess = 0;
  },
  Error: (r) => {
    r.error += 1;
    r.consecutiveError += 1;
    r.consecutiveSuccess = 0;
  },
};

/**
 * Adds one finished measurement of `metricName` to the run: counters, the measurement list (the
 * oldest dropped past the metric's retention), then every metric's phase and the run's phase
 * assessed. Returns a new run; the given one is left as it was. A measurement for a run or metric
 * that already completed is ignored, so a measurement replayed after a crash changes nothing.
 */
export function recordMeasurement(run: AnalysisRun, metricName: string, measurement: Measurement, now: Date): AnalysisRun {
  if (isCompleted(run.phase)) return run;
  if (!isCompleted(measurement.phase)) throw new Error(`a measurement is recorded once it finished; got phase ${measurement.phase}`);
  const metric = run.metrics.find((m) => m.name === metricName);
  if (!metric) throw new Error(`the run has no metric "${metricName}"; it has ${run.metrics.map((m) => m.name).join(", ")}`);
  const existing = run.metricResults.find((r) => r.name === metricName);
  if (existing && isCompleted(existing.phase)) return run;
  const result: MetricResult = existing
    ? { ...existing, measurements: [...existing.measurements] }
    : { name: metricName, phase: "Running", count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, consecutiveSuccess: 0, dryRun: metric.dryRun, measurements: [], dropped: 0 };
  const finished: Measurement = {
    ...measurement,
    ...(measurement.value !== undefined ? { value: clip(measurement.value) } : {}),
    ...(measurement.message !== undefined ? { message: clip(measurement.message) } : {}),
    finishedAt: measurement.finishedAt ?? now.toISOString(),
  };
  COUNTERS[finished.phase]?.(result);
  result.measurements.push(finished);
  const excess = result.measurements.length - metric.retention;
  if (excess > 0) {
    result.measurements.splice(0, excess);
    result.dropped += excess;
  }
  const metricResults = existing ? run.metricResults.map((r) => (r.name === metricName ? result : r)) : [...run.metricResults, result];
  return assessAnalysisRun({ ...run, metricResults }, now);
}

function clip(text: string): string {
  return text.length > MAX_MEASUREMENT_TEXT ? `${text.slice(0, MAX_MEASUREMENT_TEXT - 1)}…` : text;
}
