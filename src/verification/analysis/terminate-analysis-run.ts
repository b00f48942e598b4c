import { assessAnalysisRun } from "./assess-analysis-run.js";
import type { AnalysisRun } from "./types.js";

/**
 * Stops a run early (a newer promotion superseded it, or verification timed out), as Rollouts'
 * `spec.terminate`: no further measurements; metrics that run until terminated, or have not
 * started, count as Successful; the run ends with the worst phase of what was measured, so a
 * metric that already failed still fails it.
 */
export function terminateAnalysisRun(run: AnalysisRun, now: Date): AnalysisRun {
  if (run.terminate) return run;
  return assessAnalysisRun({ ...run, terminate: true }, now);
}
