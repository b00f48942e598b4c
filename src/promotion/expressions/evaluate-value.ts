import { ExpressionError } from "./expression-error.js";
import { evaluateTemplate } from "./evaluate-template.js";
import { hasExpression } from "./parse-template.js";
import type { ExpressionContext, JsonValue } from "./types.js";

/** An expression failure inside a structured value, with the field it sits in (`updates[0].value`). */
export class ValueExpressionError extends ExpressionError {
  readonly field: string;

  constructor(field: string, cause: ExpressionError) {
    super(`${field}: ${cause.message} at character ${cause.offset + 1}`, cause.offset);
    this.name = "ValueExpressionError";
    this.field = field;
  }
}

/**
 * Evaluates every string inside a value (a step's config, a var's value). Keys are never
 * evaluated: Kargo only allows expressions in values.
 */
export function evaluateValue(value: unknown, context: ExpressionContext, field = ""): JsonValue {
  if (typeof value === "string") {
    if (!hasExpression(value)) return value;
    try {
      return evaluateTemplate(value, context);
    } catch (error) {
      if (error instanceof ExpressionError && !(error instanceof ValueExpressionError)) {
        throw new ValueExpressionError(field || "value", error);
      }
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => evaluateValue(item, context, `${field}[${index}]`));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = evaluateValue(item, context, field ? `${field}.${key}` : key);
    return out;
  }
  if (value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  throw new Error(`${field || "value"}: ${typeof value} is not plain data`);
}
