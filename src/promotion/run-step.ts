import type { z } from "zod";
import { evaluateValue, ExpressionError, type ExpressionContext, type JsonObject } from "./expressions/index.js";
import { parseDuration } from "./parse-duration.js";
import type { PlannedStep } from "./plan-steps.js";
import { RetryLaterError } from "./retry-later-error.js";
import type { StepDefinition, StepEnvironment, StepResult } from "./step-definition.js";
import { StepFailure } from "./step-failure.js";
import type { StepPhase, StepRecord } from "./types.js";

export interface StepOutcome {
  phase: StepPhase;
  outputs?: JsonObject;
  message?: string;
  errorCount: number;
}

/**
 * Runs one step: evaluates its config, validates it against the step's schema, runs it, retries
 * errors up to `retry.errorThreshold` (default 1: no retry) and fails a waiting step whose
 * `retry.timeout` has passed.
 */
export async function runStep(
  step: PlannedStep,
  record: StepRecord,
  definition: StepDefinition | undefined,
  context: ExpressionContext,
  env: Omit<StepEnvironment, "expressionContext">,
  retryDelayMs: number,
): Promise<StepOutcome> {
  const label = `step "${step.alias}" (${step.uses})`;
  if (!definition) return { phase: "Errored", errorCount: record.errorCount, message: `${label}: there is no step called "${step.uses}"; check the spelling of "uses"` };
  let config: unknown;
  try {
    config = parseConfig(definition.config, evaluateValue(step.spec.config ?? {}, context, "config"));
  } catch (error) {
    return { phase: "Errored", errorCount: record.errorCount, message: `${label}: ${describe(error)}` };
  }
  const threshold = step.spec.retry?.errorThreshold ?? 1;
  let errorCount = record.errorCount;
  for (;;) {
    try {
      const result = await definition.run(config, { ...env, expressionContext: context });
      return { ...checkTimeout(step, result, env), errorCount: 0 };
    } catch (error) {
      if (env.signal.aborted) return { phase: "Aborted", errorCount, message: `${label}: aborted` };
      // Not the step's fault: the job carries the promotion on when the service is back.
      if (error instanceof RetryLaterError) throw error;
      if (error instanceof StepFailure) return { phase: error.phase, errorCount, message: `${label}: ${error.message}` };
      errorCount += 1;
      env.log.warn({ step: step.alias, errorCount, threshold, err: describe(error) }, "promotion step errored");
      if (errorCount >= threshold) {
        const tries = threshold > 1 ? ` (gave up after ${errorCount} errors in a row)` : "";
        return { phase: "Errored", errorCount, message: `${label}: ${describe(error)}${tries}` };
      }
      await env.clock.sleep(retryDelayMs * errorCount, env.signal);
    }
  }
}

function checkTimeout(step: PlannedStep, result: StepResult, env: Omit<StepEnvironment, "expressionContext">): Omit<StepOutcome, "errorCount"> {
  const timeout = step.spec.retry?.timeout;
  if (result.phase !== "Running" || timeout === undefined) return result;
  const elapsed = env.clock.now().getTime() - env.startedAt.getTime();
  if (elapsed <= parseDuration(timeout, `step "${step.alias}" retry.timeout`)) return result;
  return { phase: "Failed", message: `step "${step.alias}" (${step.uses}): still not done after retry.timeout ${timeout}${result.message ? `: ${result.message}` : ""}` };
}

function parseConfig<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `config${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`);
  throw new Error(`invalid config: ${problems.join("; ")}`);
}

function describe(error: unknown): string {
  if (error instanceof ExpressionError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
