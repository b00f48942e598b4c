import { ExpressionError } from "./expression-error.js";
import type { ExpressionNode } from "./expr-lang/ast.js";
import { parseExpression } from "./expr-lang/parse-expression.js";

export type TemplateSegment =
  | { kind: "text"; text: string }
  | { kind: "expression"; source: string; offset: number; node: ExpressionNode };

export interface ParsedTemplate {
  text: string;
  segments: TemplateSegment[];
  /** True when the whole text is one expression: its value keeps its JSON type. */
  single: boolean;
}

// `${% %}` exists for expressions that themselves contain `}}`.
const DELIMITERS: ReadonlyArray<{ open: string; close: string }> = [
  { open: "${{", close: "}}" },
  { open: "${%", close: "%}" },
];

/** Splits a string value into literal text and parsed `${{ }}` / `${% %}` expressions. */
export function parseTemplate(text: string): ParsedTemplate {
  const segments: TemplateSegment[] = [];
  let position = 0;
  while (position < text.length) {
    const next = findNextOpen(text, position);
    if (!next) {
      segments.push({ kind: "text", text: text.slice(position) });
      break;
    }
    if (next.index > position) segments.push({ kind: "text", text: text.slice(position, next.index) });
    const start = next.index + next.open.length;
    const end = text.indexOf(next.close, start);
    if (end === -1) {
      throw new ExpressionError(`"${next.open}" is never closed: add "${next.close}" after the expression`, next.index);
    }
    const source = text.slice(start, end);
    segments.push({ kind: "expression", source, offset: start, node: parseExpression(source, start) });
    position = end + next.close.length;
  }
  const only = segments[0];
  const single = segments.length === 1 && only?.kind === "expression";
  return { text, segments, single };
}

/** True when the text holds at least one expression, without parsing it. */
export function hasExpression(text: string): boolean {
  return DELIMITERS.some((d) => text.includes(d.open));
}

function findNextOpen(text: string, from: number): { index: number; open: string; close: string } | undefined {
  let best: { index: number; open: string; close: string } | undefined;
  for (const d of DELIMITERS) {
    const index = text.indexOf(d.open, from);
    if (index !== -1 && (!best || index < best.index)) best = { index, ...d };
  }
  return best;
}
