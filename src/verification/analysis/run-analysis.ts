import type { Clock } from "../../clock.js";
import { redactSecrets, type NamedValues } from "../../promotion/expressions/index.js";
import type { MeasureMetric } from "./measure-metric.js";
import { nextAnalysisStep, type AnalysisStep } from "./next-analysis-step.js";
import { recordMeasurement } from "./record-measurement.js";
import { resolveMetric } from "./resolve-metric.js";
import type { AnalysisRun, Measurement } from "./types.js";

/** A run that keeps measuring (an interval without a count) is stopped by its caller; this bounds one call. */
const MAX_PASSES = 10_000;

export interface AnalysisDriver {
  clock: Clock;
  measure: MeasureMetric;
  /** The operator's secrets for the project, read by args with valueFrom.secretKeyRef. */
  secrets?: NamedValues;
  /** More values to keep out of the record (the operator's credentials the providers send). */
  redact?: readonly string[];
}

export interface AnalysisPass {
  run: AnalysisRun;
  /** What the run needs next: the App persists `run` and comes back at `next.until`. */
  next: AnalysisStep;
}

/**
 * One pass over a run: every metric due now is measured (at the same time, as Rollouts does) and
 * recorded. Between passes the run is plain JSON, so the App can keep it in a check run and
 * resume from a delayed job, on another replica, after a restart.
 */
export async function runAnalysisOnce(run: AnalysisRun, driver: AnalysisDriver): Promise<AnalysisPass> {
  const step = nextAnalysisStep(run, driver.clock.now());
  if (step.kind !== "measure") return { run, next: step };
  const measured = await Promise.all(step.metrics.map(async (name) => ({ name, measurement: await measureOne(run, name, driver) })));
  let updated = run;
  for (const { name, measurement } of measured) updated = recordMeasurement(updated, name, measurement, driver.clock.now());
  return { run: updated, next: nextAnalysisStep(updated, driver.clock.now()) };
}

/**
 * Runs passes until the run completes, sleeping on the driver's clock in between; `onPass` sees
 * the run after each pass (to persist it). For a run that measures until terminated, abort the
 * signal: the run is then returned as it stands.
 */
export async function runAnalysisToCompletion(run: AnalysisRun, driver: AnalysisDriver & { onPass?: (pass: AnalysisPass) => Promise<void> | void; signal?: AbortSignal }): Promise<AnalysisRun> {
  let current = run;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const result = await runAnalysisOnce(current, driver);
    current = result.run;
    await driver.onPass?.(result);
    if (result.next.kind === "complete" || driver.signal?.aborted) return current;
    if (result.next.kind === "wait") {
      const delay = Date.parse(result.next.until) - driver.clock.now().getTime();
      if (delay > 0) await driver.clock.sleep(delay, driver.signal).catch(() => undefined);
    }
  }
  return current;
}

async function measureOne(run: AnalysisRun, name: string, driver: AnalysisDriver): Promise<Measurement> {
  let secrets: string[] = [...(driver.redact ?? [])];
  try {
    const resolved = resolveMetric(run, name, driver.secrets);
    secrets = [...secrets, ...resolved.secrets];
    return redact(await driver.measure(resolved.metric), secrets);
  } catch (error) {
    const at = driver.clock.now().toISOString();
    return redact({ phase: "Error", message: (error as Error).message, startedAt: at, finishedAt: at }, secrets);
  }
}

/** Secret values never reach the record: neither in a message nor in a value a provider echoed. */
function redact(measurement: Measurement, secrets: readonly string[]): Measurement {
  if (secrets.length === 0) return measurement;
  return {
    ...measurement,
    ...(measurement.message !== undefined ? { message: redactSecrets(measurement.message, secrets) } : {}),
    ...(measurement.value !== undefined ? { value: redactSecrets(measurement.value, secrets) } : {}),
  };
}
