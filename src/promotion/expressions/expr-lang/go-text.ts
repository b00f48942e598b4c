import type { JsonValue } from "../types.js";
import { MAX_VALUE_DEPTH } from "./budgets.js";
import { FloatValue, isFloat, numberOf, TaggedValue, type Value } from "./values.js";

/*
 * Values turn into text the way Kargo's Go code turns them: `string()` is fmt's `%v`, `quote()`
 * is `%q`, and every result Kargo writes goes through encoding/json (map keys sorted, `<>&`
 * escaped). Matching them keeps a pipeline's output byte for byte what it is under Kargo.
 */

/** fmt's `%v`: `<nil>`, `[a b]`, `map[k:v]`, floats in Go's shortest form (`1e+06`). */
export function goText(value: Value, depth = 0): string {
  if (value === null) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" || value instanceof FloatValue) return isFloat(value) ? goFloatText(numberOf(value)) : String(value);
  if (value instanceof TaggedValue) return value.toText();
  if (depth > MAX_VALUE_DEPTH) throw new Error(`values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((item) => goText(item, depth + 1)).join(" ")}]`;
  const keys = Object.keys(value).sort();
  return `map[${keys.map((key) => `${key}:${goText(value[key] as Value, depth + 1)}`).join(" ")}]`;
}

/** A float as Go's `%v` writes it: exponent form from 1e+06 up and below 1e-04. */
export function goFloatText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa, exponentText] = value.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${digits}`;
  }
  return String(value);
}

const GO_ESCAPES: Readonly<Record<string, string>> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\" };
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** fmt's `%q`: a double-quoted Go string literal, non-printable characters escaped. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escape = GO_ESCAPES[ch];
    if (escape !== undefined) out += escape;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0) as number;
      if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd";
      else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
      else out += `\\U${code.toString(16).padStart(8, "0")}`;
    }
  }
  return `${out}"`;
}

/** A value as plain JSON data (what callers of the engine receive). NaN and ±Inf cannot be JSON. */
export function toJSONValue(value: Value, depth = 0): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" || value instanceof FloatValue) {
    const n = numberOf(value);
    if (!Number.isFinite(n)) throw new Error(`the value ${goFloatText(n)} cannot be written as JSON${Number.isNaN(n) ? "" : " (a division by zero?)"}`);
    return n;
  }
  if (value instanceof TaggedValue) return value.toJSON();
  if (depth > MAX_VALUE_DEPTH) throw new Error(`values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => toJSONValue(item, depth + 1));
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toJSONValue(item, depth + 1);
  return out;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** encoding/json's Marshal (or MarshalIndent with `indent`): map keys sorted, `<`, `>`, `&` escaped. */
export function goJSON(value: Value, indent?: string): string {
  return writeJSON(toJSONValue(value), indent, 0);
}

function writeJSON(value: JsonValue, indent: string | undefined, depth: number): string {
  if (value === null || typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => HTML_ESCAPES[ch] as string);
  const inner = indent === undefined ? "" : `\n${indent.repeat(depth + 1)}`;
  const outer = indent === undefined ? "" : `\n${indent.repeat(depth)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${inner}${value.map((item) => writeJSON(item, indent, depth + 1)).join(`,${inner}`)}${outer}]`;
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return "{}";
  const colon = indent === undefined ? ":" : ": ";
  return `{${inner}${keys.map((key) => `${writeJSON(key, indent, depth + 1)}${colon}${writeJSON(value[key] as JsonValue, indent, depth + 1)}`).join(`,${inner}`)}${outer}}`;
}

const GO_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GO_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Go's strconv.ParseFloat for decimal text, `inf` and `nan`; undefined when Go would refuse it. */
export function parseGoFloat(text: string): number | undefined {
  const first = text[0];
  // Every number Go reads starts with a sign, a digit, a dot, or the i of inf or n of nan.
  if (first === undefined || !"+-.0123456789iInN".includes(first)) return undefined;
  const special = GO_SPECIAL.exec(text);
  if (special) return special[2]?.toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  if (!GO_DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const GO_BOOLS: Readonly<Record<string, boolean>> = { "1": true, t: true, T: true, TRUE: true, true: true, True: true, "0": false, f: false, F: false, FALSE: false, false: false, False: false };

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  return Object.hasOwn(GO_BOOLS, text) ? GO_BOOLS[text] : undefined;
}

/** Go's strconv.Atoi, within Stagecoach's exact integers. */
export function parseGoInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

