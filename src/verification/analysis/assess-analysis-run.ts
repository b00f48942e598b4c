import type { AnalysisPhase, AnalysisRun, MetricResult, RunMetric } from "./types.js";
import { isCompleted } from "./types.js";

/** Best to worst, as Rollouts orders them: a run takes the worst phase of its metrics. */
const PHASE_ORDER: readonly AnalysisPhase[] = ["Successful", "Running", "Pending", "Inconclusive", "Error", "Failed"];

function isWorse(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf(current);
}

/**
 * A run stops taking measurements once it was asked to, or once a metric that counts (not a dry
 * run) ended Failed, Error or Inconclusive: the run's outcome is then settled.
 */
export function isTerminating(run: AnalysisRun): boolean {
  if (run.terminate) return true;
  return run.metricResults.some((r) => !r.dryRun && (r.phase === "Failed" || r.phase === "Error" || r.phase === "Inconclusive"));
}

/** The limit a metric's counters went past, if any; the last one checked (errors) wins, as in Rollouts. */
export function findBreachedLimit(metric: RunMetric, result: MetricResult): { phase: AnalysisPhase; message: string } | undefined {
  const { failureLimit, inconclusiveLimit, consecutiveErrorLimit } = metric.schedule;
  let breach: { phase: AnalysisPhase; message: string } | undefined;
  if (failureLimit >= 0 && result.failed > failureLimit) breach = { phase: "Failed", message: `failed (${result.failed}) > failureLimit (${failureLimit})` };
  if (result.inconclusive > inconclusiveLimit) breach = { phase: "Inconclusive", message: `inconclusive (${result.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})` };
  if (result.consecutiveError > consecutiveErrorLimit) {
    breach = { phase: "Error", message: `consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${consecutiveErrorLimit})` };
  }
  return breach;
}

/** Rollouts' assessMetricStatus: a metric's phase from its counters, its limits and its count. */
export function assessMetric(metric: RunMetric, result: MetricResult, terminating: boolean): AnalysisPhase {
  if (isCompleted(result.phase)) return result.phase;
  const last = result.measurements.at(-1);
  if (result.count + result.error === 0 || !last) return terminating ? "Successful" : "Pending";
  if (!isCompleted(last.phase)) return "Running";
  const breach = findBreachedLimit(metric, result);
  if (breach) return breach.phase;
  const { count, failureLimit, consecutiveSuccessLimit } = metric.schedule;
  if (consecutiveSuccessLimit > 0 && result.consecutiveSuccess >= consecutiveSuccessLimit) return "Successful";
  if (count !== undefined && result.count >= count) {
    // The count is reached without a limit breached: only a consecutiveSuccessLimit still unmet can spoil it.
    if (consecutiveSuccessLimit > 0) return failureLimit >= 0 ? "Inconclusive" : "Failed";
    return "Successful";
  }
  return terminating ? "Successful" : "Running";
}

/**
 * Rollouts' assessRunStatus: every metric's phase brought up to date, then the run's. The run is
 * Running while any metric is; once all are done (or the run is terminating) it takes the worst
 * phase among the metrics that count, dry-run metrics being reported but never deciding.
 */
export function assessAnalysisRun(run: AnalysisRun, now: Date): AnalysisRun {
  if (isCompleted(run.phase)) return run;
  let assessed = assessOnce(run, now);
  // A metric that just failed makes the run terminate; Rollouts sees that on its next reconcile, we at once.
  if (!isCompleted(assessed.phase) && isTerminating(assessed)) assessed = assessOnce(assessed, now);
  return assessed;
}

function assessOnce(run: AnalysisRun, now: Date): AnalysisRun {
  const terminating = isTerminating(run);
  let worst: AnalysisPhase | undefined;
  let worstMessage: string | undefined = run.terminate ? "Run Terminated" : undefined;
  let everythingCompleted = true;
  const metricResults = run.metricResults.map((result) => ({ ...result }));
  for (const metric of run.metrics) {
    const result = metricResults.find((r) => r.name === metric.name);
    if (!result) {
      everythingCompleted = false;
      continue;
    }
    const phase = assessMetric(metric, result, terminating);
    if (phase !== result.phase) {
      const lastMessage = result.measurements.at(-1)?.message;
      if (lastMessage) result.message = lastMessage;
      result.phase = phase;
    }
    if (!isCompleted(phase)) {
      everythingCompleted = false;
      continue;
    }
    const breach = findBreachedLimit(metric, result);
    if (metric.dryRun) {
      worst ??= "Successful";
      if (breach) result.message = `Metric assessed ${phase} due to ${breach.message}`;
      continue;
    }
    if (worst === undefined || isWorse(worst, phase)) {
      worst = phase;
      if (breach) worstMessage = `Metric "${metric.name}" assessed ${phase} due to ${breach.message}${result.message ? `: "Error Message: ${result.message}"` : ""}`;
    }
  }
  const settled = (phase: AnalysisPhase): AnalysisRun => ({
    ...run,
    metricResults,
    phase,
    ...(worstMessage ? { message: worstMessage } : {}),
    ...(isCompleted(phase) ? { completedAt: run.completedAt ?? now.toISOString() } : {}),
  });
  if (terminating) return settled(worst ?? "Successful");
  if (!everythingCompleted || worst === undefined) return { ...run, metricResults, phase: "Running" };
  return settled(worst);
}
