/** expr-lang's grammar tables, as its parser (parser/operator/operator.go, parser/parser.go) defines them. */

/** Names that would reach an object's prototype machinery; refused wherever they appear. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["constructor", "__proto__", "prototype"]);

export interface BinaryOperator {
  precedence: number;
  rightAssociative?: boolean;
}

// expr-lang's operator table: the pipe binds loosest, `??` tightest.
export const BINARY_OPERATORS: Readonly<Record<string, BinaryOperator>> = {
  "|": { precedence: 0 },
  or: { precedence: 10 },
  "||": { precedence: 10 },
  and: { precedence: 15 },
  "&&": { precedence: 15 },
  "==": { precedence: 20 },
  "!=": { precedence: 20 },
  "<": { precedence: 20 },
  ">": { precedence: 20 },
  ">=": { precedence: 20 },
  "<=": { precedence: 20 },
  in: { precedence: 20 },
  matches: { precedence: 20 },
  contains: { precedence: 20 },
  startsWith: { precedence: 20 },
  endsWith: { precedence: 20 },
  "..": { precedence: 25 },
  "+": { precedence: 30 },
  "-": { precedence: 30 },
  "*": { precedence: 60 },
  "/": { precedence: 60 },
  "%": { precedence: 60 },
  "**": { precedence: 100, rightAssociative: true },
  "^": { precedence: 100, rightAssociative: true },
  "??": { precedence: 500 },
};

export const UNARY_PRECEDENCE: Readonly<Record<string, number>> = { not: 50, "!": 50, "-": 90, "+": 90 };

/** Operators that `not` may prefix: `a not in b` is `not (a in b)`. */
export const NEGATABLE: ReadonlySet<string> = new Set(["in", "matches", "contains", "startsWith", "endsWith"]);

/** `1 < x < 3` reads as `1 < x && x < 3`. */
export const COMPARISONS: ReadonlySet<string> = new Set(["<", ">", "<=", ">="]);

export type ArgumentShape = "expression" | "predicate" | "optional expression" | "optional predicate";

/**
 * The built-ins whose arguments include a predicate (a closure over `#`), with the shape of each
 * argument. They parse differently from ordinary calls: `#` and `.Field` are only valid inside one.
 */
export const PREDICATE_BUILTINS: Readonly<Record<string, readonly ArgumentShape[]>> = {
  all: ["expression", "predicate"],
  none: ["expression", "predicate"],
  any: ["expression", "predicate"],
  one: ["expression", "predicate"],
  filter: ["expression", "predicate"],
  map: ["expression", "predicate"],
  count: ["expression", "optional predicate"],
  sum: ["expression", "optional predicate"],
  find: ["expression", "predicate"],
  findIndex: ["expression", "predicate"],
  findLast: ["expression", "predicate"],
  findLastIndex: ["expression", "predicate"],
  groupBy: ["expression", "predicate"],
  sortBy: ["expression", "predicate", "optional expression"],
  reduce: ["expression", "predicate", "optional expression"],
};
