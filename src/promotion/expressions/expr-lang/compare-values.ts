import { isNumber, numberOf, TaggedValue, typeName, type Value } from "./values.js";

/**
 * expr-lang's ordering: numbers with numbers, strings with strings, dates with dates, durations with
 * durations. NaN is unordered (NaN back), so `<`, `<=`, `>` and `>=` on it are false, as in Go: a
 * metric that measured NaN must not pass `result >= 0.95`.
 */
export function compareValues(a: Value, b: Value, operator = "<"): number {
  if (isNumber(a) && isNumber(b)) {
    const x = numberOf(a);
    const y = numberOf(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const ordered = a instanceof TaggedValue ? a.compare(b) : undefined;
  if (ordered !== undefined) return ordered;
  throw new Error(`"${operator}" cannot compare ${typeName(a)} and ${typeName(b)}`);
}
