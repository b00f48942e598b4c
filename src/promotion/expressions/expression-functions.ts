import { BUILTIN_FUNCTIONS } from "./expr-lang/builtin-functions.js";
import type { FunctionTable } from "./expr-lang/evaluation.js";
import { PREDICATE_BUILTINS } from "./expr-lang/grammar.js";
import { KARGO_FUNCTIONS } from "./kargo-functions.js";

/** Every function an expression may call by name: expr-lang's built-ins, then Kargo's (which win, as in Kargo). */
export const EXPRESSION_FUNCTIONS: FunctionTable = { ...BUILTIN_FUNCTIONS, ...KARGO_FUNCTIONS };

/** How many arguments each callable name takes, predicate built-ins included: what `stagecoach validate` checks. */
export const FUNCTION_ARITIES: Readonly<Record<string, readonly [number, number]>> = {
  ...Object.fromEntries(Object.entries(EXPRESSION_FUNCTIONS).map(([name, fn]) => [name, fn.arity])),
  ...Object.fromEntries(
    Object.entries(PREDICATE_BUILTINS).map(([name, shapes]) => [name, [shapes.filter((s) => !s.startsWith("optional")).length, shapes.length] as const]),
  ),
};
