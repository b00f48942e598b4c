import type { ExpressionNode } from "./expr-lang/ast.js";
import { evaluateNode } from "./expr-lang/evaluate-node.js";
import { Evaluation, EvaluationError } from "./expr-lang/evaluation.js";
import type { MapValue, Value } from "./expr-lang/values.js";
import { ExpressionError } from "./expression-error.js";
import { EXPRESSION_FUNCTIONS } from "./expression-functions.js";
import { redactSecrets } from "./redact-secrets.js";
import type { ExpressionContext } from "./types.js";

/** One evaluated expression: its value, and the evaluation (for the secrets it read). */
export interface ExpressionRun {
  value: Value;
  evaluation: Evaluation;
}

/** The names an expression starts from: the step's scope, then ctx, vars, outputs and task. */
function rootsOf(context: ExpressionContext): MapValue {
  return {
    ...(context.scope ?? {}),
    ...(context.ctx ? { ctx: context.ctx } : {}),
    vars: context.vars ?? {},
    outputs: context.outputs ?? {},
    ...(context.task ? { task: context.task } : {}),
  };
}

/**
 * Evaluates one parsed expression. A failure becomes an ExpressionError at the character of the
 * node that failed, naming the expression, with any secret value it read replaced by ***.
 */
export function runExpression(node: ExpressionNode, context: ExpressionContext, source: string, offset: number): ExpressionRun {
  const evaluation = new Evaluation(context, rootsOf(context), EXPRESSION_FUNCTIONS);
  try {
    return { value: evaluateNode(node, evaluation), evaluation };
  } catch (error) {
    throw expressionError(error, evaluation, source, error instanceof EvaluationError ? error.offset : offset);
  }
}

/** An ExpressionError for a failure of (or after) an evaluation, its secrets redacted. */
export function expressionError(error: unknown, evaluation: Evaluation, source: string, offset: number): ExpressionError {
  const message = error instanceof Error ? error.message : String(error);
  return new ExpressionError(redactSecrets(`${message} (in "${source.trim()}")`, evaluation.secretsRead), offset);
}
