import { ExpressionError, findCallProblems, findOutputReferences, hasExpression, parseTemplate, type TemplateSegment } from "../../promotion/expressions/index.js";
import type { DataPath } from "../diagnostic.js";

export { findOutputReferences };

export interface ExpressionProblem {
  path: DataPath;
  /** The character in the string value where the problem is. */
  offset: number;
  message: string;
}

export interface ParsedExpression {
  path: DataPath;
  segments: TemplateSegment[];
}

/**
 * Parses every `${{ }}` in the string values under `value` (keys are never expressions) and
 * checks each call: an unknown function or a wrong number of arguments is a problem at the
 * function's name, with the nearest known name.
 */
export function checkExpressions(value: unknown, path: DataPath): { problems: ExpressionProblem[]; parsed: ParsedExpression[] } {
  const problems: ExpressionProblem[] = [];
  const parsed: ParsedExpression[] = [];
  const visit = (node: unknown, at: DataPath): void => {
    if (typeof node === "string") {
      if (!hasExpression(node)) return;
      try {
        const { segments } = parseTemplate(node);
        parsed.push({ path: at, segments });
        for (const problem of findCallProblems(segments)) problems.push({ path: at, ...problem });
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push({ path: at, offset: error.offset, message: error.message });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...at, i]));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, item] of Object.entries(node)) visit(item, [...at, key]);
    }
  };
  visit(value, path);
  return { problems, parsed };
}
