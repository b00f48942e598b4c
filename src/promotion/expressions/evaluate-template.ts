import { MAX_STRING_LENGTH } from "./expr-lang/budgets.js";
import { goJSON, parseGoBool, parseGoFloat, toJSONValue } from "./expr-lang/go-text.js";
import { ExpressionError } from "./expression-error.js";
import { parseTemplate, type ParsedTemplate } from "./parse-template.js";
import { expressionError, runExpression } from "./run-expression.js";
import type { ExpressionContext, JsonValue } from "./types.js";

/**
 * Evaluates a string value the way Kargo's EvaluateTemplate does: every expression's value is
 * written into the text (a string as it is, anything else as JSON), then the whole text is read
 * back as a JSON type when it looks like one. So `${{ 40 + 2 }}` is the number 42, `${{ vars.list }}`
 * a list, and `${{ quote(40 + 2) }}` the string "42" (quote adds quotes, the read-back strips them).
 */
export function evaluateTemplate(text: string | ParsedTemplate, context: ExpressionContext): JsonValue {
  const template = typeof text === "string" ? parseTemplate(text) : text;
  if (!template.segments.some((s) => s.kind === "expression")) return template.text;
  const only = template.segments[0];
  if (template.single && only?.kind === "expression") {
    const { value, evaluation } = runExpression(only.node, context, only.source, only.offset);
    if (typeof value === "string") return readBack(value);
    try {
      // The same as writing the value as JSON and reading it back, without the round trip.
      return toJSONValue(value);
    } catch (error) {
      throw expressionError(error, evaluation, only.source, only.offset);
    }
  }
  let out = "";
  for (const segment of template.segments) {
    if (segment.kind === "text") {
      out += segment.text;
      continue;
    }
    const { value, evaluation } = runExpression(segment.node, context, segment.source, segment.offset);
    try {
      out += typeof value === "string" ? value : goJSON(value);
    } catch (error) {
      throw expressionError(error, evaluation, segment.source, segment.offset);
    }
    if (out.length > MAX_STRING_LENGTH) throw new ExpressionError(`the value is longer than ${MAX_STRING_LENGTH} characters (MAX_STRING_LENGTH)`, segment.offset);
  }
  return readBack(out);
}

/**
 * Kargo's reading of an evaluated template: text in double quotes is that text; then a number, a
 * boolean (Go's ParseBool: true, True, t, 1, …) or any JSON value; else the text itself.
 */
export function readBack(text: string): JsonValue {
  const newline = text.endsWith("\n");
  const body = newline ? text.slice(0, -1) : text;
  if (body.length > 1 && body.startsWith('"') && body.endsWith('"')) return body.slice(1, -1) + (newline ? "\n" : "");
  const number = parseGoFloat(body);
  if (number !== undefined && Number.isFinite(number)) return number;
  const bool = parseGoBool(body);
  if (bool !== undefined) return bool;
  if (!mayBeJSON(body)) return text;
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return text;
  }
}

/** Whether JSON.parse could accept the text, checked cheaply: most values are plain text. */
function mayBeJSON(text: string): boolean {
  const trimmed = text.trim();
  const first = trimmed[0];
  if (first === "{" || first === "[" || first === '"' || first === "-" || (first !== undefined && first >= "0" && first <= "9")) return true;
  return trimmed === "true" || trimmed === "false" || trimmed === "null";
}
