import { evaluateExpression, evaluateTemplate, ExpressionError, type JsonObject, type JsonValue } from "../expressions/index.js";
import type { StepEnvironment } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

export interface OutputSpec {
  name: string;
  fromExpression: string;
}

/**
 * Evaluates `outputs[].fromExpression` (a bare expression, e.g. `image.tag`) with `scope` as extra
 * top-level names: the parsed file for *-parse, the response for http.
 */
export function evaluateOutputs(outputs: OutputSpec[], scope: JsonObject, env: StepEnvironment): JsonObject {
  const result: JsonObject = {};
  outputs.forEach((output, index) => {
    result[output.name] = evaluateBare(output.fromExpression, scope, env, `config.outputs[${index}].fromExpression`);
  });
  return result;
}

export function evaluateBare(expression: string, scope: JsonObject, env: StepEnvironment, field: string): JsonValue {
  const context = { ...env.expressionContext, scope: { ...(env.expressionContext.scope ?? {}), ...scope } };
  try {
    // As in Kargo, a bare expression's value is kept as it is; a `${{ }}` one is read back as a template.
    return /^\s*\$\{[{%]/.test(expression) ? evaluateTemplate(expression, context) : evaluateExpression(expression, context);
  } catch (error) {
    if (error instanceof ExpressionError) throw new StepFailure(`${field}: ${error.message}`);
    throw error;
  }
}

/** A parsed file as expression scope: a mapping's keys become names; anything else is `value`. */
export function toScope(data: unknown): JsonObject {
  const plain = JSON.parse(JSON.stringify(data ?? null)) as JsonValue;
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? plain : { value: plain };
}
