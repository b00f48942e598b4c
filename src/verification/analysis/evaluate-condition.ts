import { numberArg } from "../../promotion/expressions/expr-lang/arguments.js";
import { BUILTIN_FUNCTIONS } from "../../promotion/expressions/expr-lang/builtin-functions.js";
import { DateValue } from "../../promotion/expressions/expr-lang/date-value.js";
import { evaluateNode } from "../../promotion/expressions/expr-lang/evaluate-node.js";
import { Evaluation, EvaluationError, type FunctionTable } from "../../promotion/expressions/expr-lang/evaluation.js";
import { parseGoFloat, parseGoInt } from "../../promotion/expressions/expr-lang/go-text.js";
import { parseExpression } from "../../promotion/expressions/expr-lang/parse-expression.js";
import { isNumber, makeFloat, numberOf, typeName, type MapValue, type Value } from "../../promotion/expressions/expr-lang/values.js";
import type { AnalysisPhase, MetricSpec } from "./types.js";

/**
 * The functions Argo Rollouts puts beside `result` in a condition (utils/evaluate): asInt and
 * asFloat read numbers from text, isNaN and isInf test floats, isNil and default guard a missing
 * result. Rollouts' isNil and default look at `result` whatever they are given; here they look
 * at their argument, which is the same for the way they are written (`isNil(result)`,
 * `default(result, 0)`) and also works on a part of the result.
 */
const ROLLOUTS_FUNCTIONS: FunctionTable = {
  asInt: {
    arity: [1, 1],
    call: ([value = null]) => {
      if (typeof value === "string") {
        const parsed = parseGoInt(value.trim());
        if (parsed === undefined) throw new Error(`asInt: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
        return parsed;
      }
      if (isNumber(value)) return Math.trunc(numberOf(value));
      throw new Error(`asInt() not supported on ${typeName(value)}`);
    },
  },
  asFloat: {
    arity: [1, 1],
    call: ([value = null]) => {
      if (typeof value === "string") {
        const parsed = parseGoFloat(value.trim());
        if (parsed === undefined) throw new Error(`asFloat: strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
        return makeFloat(parsed);
      }
      if (isNumber(value)) return makeFloat(numberOf(value));
      throw new Error(`asFloat() not supported on ${typeName(value)}`);
    },
  },
  isNaN: { arity: [1, 1], call: (args) => Number.isNaN(numberArg(args, 0)) },
  isInf: { arity: [1, 1], call: (args) => !Number.isFinite(numberArg(args, 0)) && !Number.isNaN(numberArg(args, 0)) },
  isNil: { arity: [1, 1], call: ([value = null]) => value === null },
  default: { arity: [2, 2], call: ([value = null, fallback = null]) => (value === null ? fallback : value) },
};

const CONDITION_FUNCTIONS: FunctionTable = { ...BUILTIN_FUNCTIONS, ...ROLLOUTS_FUNCTIONS };

export interface ConditionOutcome {
  phase: AnalysisPhase;
  message?: string;
}

/**
 * Judges one measured value as Rollouts' EvaluateResult does: no condition means Successful; only
 * a successCondition means Failed when it is false; only a failureCondition means Successful when
 * it is false; both and neither true means Inconclusive. A condition that cannot be evaluated (or
 * is not true/false) makes the measurement an Error, saying which condition and why.
 */
export function evaluateConditions(metric: Pick<MetricSpec, "successCondition" | "failureCondition">, result: Value, clock?: { now(): Date }): ConditionOutcome {
  const success = metric.successCondition ? evaluateCondition(metric.successCondition, "successCondition", result, clock) : undefined;
  if (success && "error" in success) return { phase: "Error", message: success.error };
  const failure = metric.failureCondition ? evaluateCondition(metric.failureCondition, "failureCondition", result, clock) : undefined;
  if (failure && "error" in failure) return { phase: "Error", message: failure.error };
  if (success === undefined && failure === undefined) return { phase: "Successful" };
  const succeeded = success?.value ?? !(failure as { value: boolean }).value;
  const failed = failure?.value ?? !(success as { value: boolean }).value;
  if (failed) return { phase: "Failed" };
  return succeeded ? { phase: "Successful" } : { phase: "Inconclusive" };
}

function evaluateCondition(source: string, field: string, result: Value, clock: { now(): Date } | undefined): { value: boolean } | { error: string } {
  let value: Value;
  try {
    value = evaluate(source, { result }, clock);
  } catch (error) {
    const empty = result === null || (Array.isArray(result) && result.length === 0);
    const why = empty ? "metric result is nil or empty: no data returned from the metric provider" : describe(error);
    return { error: `could not evaluate ${field} "${source.trim()}": ${why}` };
  }
  if (typeof value !== "boolean") return { error: `could not evaluate ${field} "${source.trim()}": expected bool, but got ${typeName(value)}` };
  return { value };
}

/** A Prometheus range query's start or end (`now() - duration("5m")`), which must give a time. */
export function evaluateTime(source: string, field: string, clock: { now(): Date } | undefined): Date {
  let value: Value;
  try {
    value = evaluate(source, {}, clock);
  } catch (error) {
    throw new Error(`could not evaluate ${field} "${source.trim()}": ${describe(error)}`);
  }
  if (!(value instanceof DateValue)) throw new Error(`${field} "${source.trim()}" gives ${typeName(value)}, expected a time such as now() - duration("5m")`);
  return new Date(value.ms);
}

function evaluate(source: string, roots: MapValue, clock: { now(): Date } | undefined): Value {
  const node = parseExpression(source, 0);
  const evaluation = new Evaluation(clock ? { clock } : {}, roots, CONDITION_FUNCTIONS);
  return evaluateNode(node, evaluation);
}

function describe(error: unknown): string {
  if (error instanceof EvaluationError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
