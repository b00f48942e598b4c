import { describeValue, stringArg } from "./arguments.js";
import type { FunctionTable } from "./evaluation.js";
import { goJSON, goText, parseGoFloat, parseGoInt } from "./go-text.js";
import { FORBIDDEN_NAMES } from "./grammar.js";
import { StructValue } from "./struct-value.js";
import { isInt, isMap, isNumber, makeFloat, numberOf, typeName, type Value } from "./values.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** expr-lang's type, conversion, JSON and base64 built-ins, plus len and get. */
export const CONVERSION_FUNCTIONS: FunctionTable = {
  type: { arity: [1, 1], call: (args) => typeName(args[0] ?? null) },
  int: {
    arity: [1, 1],
    call: (args) => {
      const value = args[0] ?? null;
      if (isNumber(value)) {
        const n = numberOf(value);
        if (!Number.isFinite(n)) throw new Error(`${goText(value)} has no int value`);
        return Math.trunc(n);
      }
      if (typeof value === "string") {
        const parsed = parseGoInt(value);
        if (parsed === undefined) throw new Error(`${JSON.stringify(value)} is not a whole number`);
        return parsed;
      }
      throw new Error(`cannot turn ${describeValue(value)} into an int`);
    },
  },
  float: {
    arity: [1, 1],
    call: (args) => {
      const value = args[0] ?? null;
      if (isNumber(value)) return makeFloat(numberOf(value));
      if (typeof value === "string") {
        const parsed = parseGoFloat(value);
        if (parsed === undefined) throw new Error(`${JSON.stringify(value)} is not a number`);
        return makeFloat(parsed);
      }
      throw new Error(`cannot turn ${describeValue(value)} into a float`);
    },
  },
  string: { arity: [1, 1], call: (args, ev) => ev.text(goText(args[0] ?? null)) },
  toJSON: { arity: [1, 1], call: (args, ev) => ev.text(goJSON(args[0] ?? null, "  ")) },
  fromJSON: {
    arity: [1, 1],
    call: (args) => {
      const text = stringArg(args, 0);
      try {
        return JSON.parse(text) as Value;
      } catch (error) {
        throw new Error(`the text is not JSON: ${(error as Error).message}`);
      }
    },
  },
  toBase64: { arity: [1, 1], call: (args, ev) => ev.text(Buffer.from(stringArg(args, 0), "utf8").toString("base64")) },
  fromBase64: {
    arity: [1, 1],
    call: (args) => {
      const text = stringArg(args, 0);
      if (!BASE64.test(text)) throw new Error(`the text is not standard base64 (A–Z, a–z, 0–9, +, / and = padding)`);
      return Buffer.from(text, "base64").toString("utf8");
    },
  },
  len: {
    arity: [1, 1],
    call: (args) => {
      const value = args[0] ?? null;
      if (typeof value === "string") {
        let count = 0;
        for (const _ of value) count++;
        return count;
      }
      if (Array.isArray(value)) return value.length;
      if (isMap(value)) return Object.keys(value).length;
      throw new Error(`len takes a string, an array or a map, got ${describeValue(value)}`);
    },
  },
  get: {
    arity: [2, 2],
    call: (args) => {
      const [from, key] = [args[0] ?? null, args[1] ?? null];
      if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) throw new Error(`"${key}" may not be used in an expression`);
      if (Array.isArray(from)) {
        if (!isNumber(key)) throw new Error(`an array is indexed by an int, not ${describeValue(key)}`);
        const raw = Math.trunc(numberOf(key));
        const index = raw < 0 ? from.length + raw : raw;
        return index >= 0 && index < from.length ? (from[index] as Value) : null;
      }
      if (isMap(from)) {
        const name = typeof key === "string" ? key : isInt(key) ? String(key) : undefined;
        return name !== undefined && Object.hasOwn(from, name) ? (from[name] as Value) : null;
      }
      if (from instanceof StructValue && typeof key === "string") return from.field(key) ?? null;
      return null;
    },
  },
};
