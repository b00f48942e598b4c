/**
 * Every bound an expression runs within. Expressions come from a repository writer, so none of
 * them may stall the App or fill its memory: each limit ends the evaluation with an error that
 * names it. Typical Kargo expressions stay far below all of them (a few dozen nodes and steps).
 */

/** Characters in one expression (the text between `${{` and `}}`). */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** Nesting of parentheses, brackets, unary operators and right-associative operators. */
export const MAX_NESTING_DEPTH = 64;

/** Nodes in one parsed expression. */
export const MAX_AST_NODES = 2_000;

/** Node visits, closure iterations and elements walked by built-ins in one evaluation. */
export const MAX_EVALUATION_STEPS = 250_000;

/** Characters in any one string an expression produces. */
export const MAX_STRING_LENGTH = 1_000_000;

/** Elements in any one array or map an expression produces. */
export const MAX_COLLECTION_SIZE = 100_000;

/** Characters plus elements created over one whole evaluation. */
export const MAX_ALLOCATION = 4_000_000;

/** Characters in a regular expression given to `matches`. */
export const MAX_REGEX_LENGTH = 1_000;

/** How deep built-ins (==, toJSON, flatten, …) follow nested arrays and maps. */
export const MAX_VALUE_DEPTH = 200;
