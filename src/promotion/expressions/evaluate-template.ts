import { evaluateExpression } from "./evaluate-expression.js";
import { displayString, plain } from "./expression-functions.js";
import { parseTemplate, type ParsedTemplate } from "./parse-template.js";
import { QuotedString } from "./quoted-string.js";
import type { ExpressionContext, JsonValue } from "./types.js";

/**
 * Evaluates a string value. A value that is exactly one expression keeps the expression's JSON
 * type (a number stays a number); anything else is text with the expressions' values interpolated.
 */
export function evaluateTemplate(text: string | ParsedTemplate, context: ExpressionContext): JsonValue {
  const template = typeof text === "string" ? parseTemplate(text) : text;
  if (template.single) {
    const segment = template.segments[0];
    if (segment?.kind === "expression") {
      const value = evaluateExpression(segment.node, context, segment.source, segment.offset);
      return value instanceof QuotedString ? value.value : plain(value);
    }
  }
  let out = "";
  for (const segment of template.segments) {
    out += segment.kind === "text" ? segment.text : displayString(evaluateExpression(segment.node, context, segment.source, segment.offset));
  }
  return out;
}
