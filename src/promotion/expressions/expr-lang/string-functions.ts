import { arrayArg, describeValue, intArg, stringArg } from "./arguments.js";
import type { Evaluation, FunctionTable } from "./evaluation.js";
import type { Value } from "./values.js";

/** expr-lang's string built-ins, with Go's strings package semantics (byte offsets, SplitN, Replace). */
export const STRING_FUNCTIONS: FunctionTable = {
  trim: {
    arity: [1, 2],
    call: (args) => (args.length === 1 ? stringArg(args, 0).trim() : trimSet(stringArg(args, 0), stringArg(args, 1), true, true)),
  },
  trimPrefix: {
    arity: [1, 2],
    call: (args) => {
      const text = stringArg(args, 0);
      const prefix = args.length === 2 ? stringArg(args, 1) : " ";
      return text.startsWith(prefix) ? text.slice(prefix.length) : text;
    },
  },
  trimSuffix: {
    arity: [1, 2],
    call: (args) => {
      const text = stringArg(args, 0);
      const suffix = args.length === 2 ? stringArg(args, 1) : " ";
      return suffix !== "" && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
    },
  },
  upper: { arity: [1, 1], call: (args, ev) => ev.text(stringArg(args, 0).toUpperCase()) },
  lower: { arity: [1, 1], call: (args, ev) => ev.text(stringArg(args, 0).toLowerCase()) },
  split: { arity: [2, 3], call: (args, ev) => splitText(args, ev, false) },
  splitAfter: { arity: [2, 3], call: (args, ev) => splitText(args, ev, true) },
  replace: {
    arity: [3, 4],
    call: (args, ev) => {
      const [text, old, replacement] = [stringArg(args, 0), stringArg(args, 1), stringArg(args, 2)];
      const limit = args.length === 4 ? intArg(args, 3) : -1;
      if (old === "") {
        const slots = Array.from(text).length + 1;
        ev.checkTextLength(text.length + (limit < 0 ? slots : Math.min(limit, slots)) * replacement.length);
        return insertBetween(text, replacement, limit);
      }
      const pieces = splitPieces(text, old, limit < 0 ? -1 : limit + 1, false);
      ev.checkTextLength(text.length + (pieces.length - 1) * (replacement.length - old.length));
      return pieces.join(replacement);
    },
  },
  repeat: {
    arity: [2, 2],
    call: (args, ev) => {
      const text = stringArg(args, 0);
      const count = intArg(args, 1);
      if (count < 0) throw new Error(`the count must not be negative, got ${count}`);
      ev.checkTextLength(text.length * count);
      return text.repeat(count);
    },
  },
  join: {
    arity: [1, 2],
    call: (args, ev) => {
      const items = arrayArg(args, 0);
      const glue = args.length === 2 ? stringArg(args, 1) : "";
      ev.tick(items.length);
      const texts = items.map((item, i) => {
        if (typeof item !== "string") throw new Error(`element ${i} is ${describeValue(item)}; join takes an array of strings (map them with string(#) first)`);
        return item;
      });
      return ev.text(texts.join(glue));
    },
  },
  indexOf: { arity: [2, 2], call: (args) => byteOffset(stringArg(args, 0), stringArg(args, 0).indexOf(stringArg(args, 1))) },
  lastIndexOf: { arity: [2, 2], call: (args) => byteOffset(stringArg(args, 0), stringArg(args, 0).lastIndexOf(stringArg(args, 1))) },
  hasPrefix: { arity: [2, 2], call: (args) => stringArg(args, 0).startsWith(stringArg(args, 1)) },
  hasSuffix: { arity: [2, 2], call: (args) => stringArg(args, 0).endsWith(stringArg(args, 1)) },
};

/** Go counts string offsets in UTF-8 bytes. */
function byteOffset(text: string, index: number): number {
  return index <= 0 ? index : Buffer.byteLength(text.slice(0, index), "utf8");
}

function trimSet(text: string, set: string, left: boolean, right: boolean): string {
  const cut = new Set(Array.from(set));
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (left && start < end && cut.has(chars[start] as string)) start++;
  while (right && end > start && cut.has(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join("");
}

function splitText(args: Value[], ev: Evaluation, keepSeparator: boolean): Value[] {
  const text = stringArg(args, 0);
  const separator = stringArg(args, 1);
  const limit = args.length === 3 ? intArg(args, 2) : -1;
  const pieces = splitPieces(text, separator, limit, keepSeparator);
  return ev.list(pieces);
}

/** Go's strings.SplitN / SplitAfterN: `limit` < 0 for all pieces, 0 for none, n for at most n. */
function splitPieces(text: string, separator: string, limit: number, keepSeparator: boolean): string[] {
  if (limit === 0) return [];
  if (separator === "") {
    const chars = Array.from(text);
    if (limit < 0 || limit >= chars.length) return chars;
    return [...chars.slice(0, limit - 1), chars.slice(limit - 1).join("")];
  }
  const pieces: string[] = [];
  let start = 0;
  while (limit < 0 || pieces.length < limit - 1) {
    const at = text.indexOf(separator, start);
    if (at === -1) break;
    pieces.push(text.slice(start, keepSeparator ? at + separator.length : at));
    start = at + separator.length;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Go's Replace with an empty `old`: the replacement goes before every character and at the end. */
function insertBetween(text: string, replacement: string, limit: number): string {
  const chars = Array.from(text);
  let out = "";
  let inserted = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (limit < 0 || inserted < limit) {
      out += replacement;
      inserted++;
    }
    out += chars[i] ?? "";
  }
  return out;
}
