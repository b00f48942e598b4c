import { toJSONValue } from "./expr-lang/go-text.js";
import { parseExpression } from "./expr-lang/parse-expression.js";
import { expressionError, runExpression } from "./run-expression.js";
import type { ExpressionContext, JsonValue } from "./types.js";

/**
 * Evaluates a bare expression (no `${{ }}`), as Kargo runs `fromExpression`, `successExpression`
 * and `failureExpression`: the value as it is, with no reading back of text as numbers.
 */
export function evaluateExpression(source: string, context: ExpressionContext): JsonValue {
  const node = parseExpression(source, 0);
  const { value, evaluation } = runExpression(node, context, source, 0);
  try {
    return toJSONValue(value);
  } catch (error) {
    throw expressionError(error, evaluation, source, 0);
  }
}
