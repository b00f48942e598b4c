import { closest, distance } from "fastest-levenshtein";

/**
 * Past this many names a suggestion is not looked for: each costs a comparison with every name,
 * and a config of thousands of broken references would cost their product.
 */
export const MAX_SUGGESTION_CANDIDATES = 500;

/** ` (did you mean "x"?)` when a known name is close enough to be the intended one, else "". */
export function suggestName(given: string, known: readonly string[]): string {
  if (known.length === 0 || known.length > MAX_SUGGESTION_CANDIDATES || given.length > 253) return "";
  const best = closest(given, [...known]);
  return distance(given, best) <= Math.max(2, Math.floor(given.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

/** `known: a, b, c` (or a note that there are none), for messages about unknown names. */
export function listKnown(kind: string, known: readonly string[]): string {
  return known.length ? `; known ${kind}: ${known.slice(0, 12).join(", ")}${known.length > 12 ? ", …" : ""}` : `; no ${kind} are defined`;
}
