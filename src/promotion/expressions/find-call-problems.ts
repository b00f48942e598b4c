import { suggestName } from "../../text/suggest-name.js";
import { walkNodes } from "./expr-lang/ast.js";
import { FUNCTION_ARITIES } from "./expression-functions.js";
import type { TemplateSegment } from "./parse-template.js";

export interface CallProblem {
  /** The character in the template where the function's name starts. */
  offset: number;
  message: string;
}

/**
 * Calls that cannot work, found without evaluating: a function that does not exist (with the
 * nearest known name) or a wrong number of arguments. Methods (`.Format()`) depend on the value
 * and are checked when the expression runs.
 */
export function findCallProblems(segments: readonly TemplateSegment[]): CallProblem[] {
  const problems: CallProblem[] = [];
  const known = Object.keys(FUNCTION_ARITIES);
  for (const segment of segments) {
    if (segment.kind !== "expression") continue;
    walkNodes(segment.node, (node) => {
      if (node.kind !== "call") return;
      const arity = Object.hasOwn(FUNCTION_ARITIES, node.name) ? FUNCTION_ARITIES[node.name] : undefined;
      if (!arity) {
        problems.push({ offset: node.offset, message: `unknown function ${node.name}()${suggestName(node.name, known)}; see docs/expressions.md for the functions` });
        return;
      }
      const [min, max] = arity;
      const given = node.args.length;
      if (given < min || given > max) {
        const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        problems.push({ offset: node.offset, message: `${node.name}() takes ${expected} argument${expected === "1" ? "" : "s"}, got ${given}` });
      }
    });
  }
  return problems;
}
