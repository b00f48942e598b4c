import { describeValue } from "./arguments.js";
import { compareValues } from "./compare-values.js";
import { DateValue } from "./date-value.js";
import type { Evaluation } from "./evaluation.js";
import { DurationValue } from "./go-duration.js";
import { StructValue } from "./struct-value.js";
import { isFloat, isInt, isMap, isNumber, makeFloat, makeInt, numberOf, typeName, valuesEqual, type Value } from "./values.js";

type BinaryOperator = (left: Value, right: Value, ev: Evaluation) => Value;

function mismatch(operator: string, left: Value, right: Value, hint = ""): never {
  throw new Error(`"${operator}" is not defined for ${typeName(left)} and ${typeName(right)}${hint}`);
}

/** Arithmetic on two numbers: ints stay ints, anything with a float is a float. */
function arithmetic(left: Value, right: Value, apply: (x: number, y: number) => number): Value | undefined {
  if (!isNumber(left) || !isNumber(right)) return undefined;
  const result = apply(numberOf(left), numberOf(right));
  return isInt(left) && isInt(right) ? makeInt(result) : makeFloat(result);
}

const add: BinaryOperator = (left, right, ev) => {
  const sum = arithmetic(left, right, (x, y) => x + y);
  if (sum !== undefined) return sum;
  if (typeof left === "string" && typeof right === "string") {
    ev.checkTextLength(left.length + right.length);
    return left + right;
  }
  if (left instanceof DateValue && right instanceof DurationValue) return left.plus(right.ns);
  if (left instanceof DurationValue && right instanceof DateValue) return right.plus(left.ns);
  if (left instanceof DurationValue && right instanceof DurationValue) return new DurationValue(left.ns + right.ns);
  const textAndNumber = (typeof left === "string" && isNumber(right)) || (isNumber(left) && typeof right === "string");
  return mismatch("+", left, right, textAndNumber ? ": turn the number into text with string(…) first" : "");
};

const subtract: BinaryOperator = (left, right) => {
  const difference = arithmetic(left, right, (x, y) => x - y);
  if (difference !== undefined) return difference;
  if (left instanceof DateValue && right instanceof DateValue) return left.minus(right);
  if (left instanceof DateValue && right instanceof DurationValue) return left.plus(-right.ns);
  if (left instanceof DurationValue && right instanceof DurationValue) return new DurationValue(left.ns - right.ns);
  return mismatch("-", left, right);
};

const multiply: BinaryOperator = (left, right) => {
  const product = arithmetic(left, right, (x, y) => x * y);
  if (product !== undefined) return product;
  // As in Go's generated helpers: a duration times an int is a duration, times a float a float.
  const [duration, factor] = left instanceof DurationValue ? [left, right] : [right as DurationValue, left];
  if (duration instanceof DurationValue) {
    if (factor instanceof DurationValue) return new DurationValue(duration.ns * factor.ns);
    if (isInt(factor)) return new DurationValue(duration.ns * factor);
    if (isFloat(factor)) return makeFloat(duration.ns * numberOf(factor));
  }
  return mismatch("*", left, right);
};

const compare =
  (operator: string, accept: (order: number) => boolean): BinaryOperator =>
  (left, right) =>
    accept(compareValues(left, right, operator));

/** Everything on the right of `in`: arrays by value, maps by key, structs by field. */
const membership: BinaryOperator = (needle, haystack, ev) => {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) {
    ev.tick(haystack.length);
    return haystack.some((item) => valuesEqual(item, needle));
  }
  if (isMap(haystack)) {
    const key = typeof needle === "string" ? needle : isInt(needle) ? String(needle) : undefined;
    return key !== undefined && Object.hasOwn(haystack, key);
  }
  if (haystack instanceof StructValue && typeof needle === "string") return haystack.field(needle) !== undefined;
  const hint = typeof haystack === "string" ? ": to look inside text, use contains" : "";
  throw new Error(`"in" looks in an array or a map, not in ${describeValue(haystack)}${hint}`);
};

function textOperator(operator: string, apply: (text: string, part: string) => boolean): BinaryOperator {
  return (left, right) => {
    if (left === null || right === null) return false;
    if (typeof left !== "string" || typeof right !== "string") return mismatch(operator, left, right, `: ${operator} compares two strings`);
    return apply(left, right);
  };
}

const range: BinaryOperator = (from, to, ev) => {
  if (!isNumber(from) || !isNumber(to)) return mismatch("..", from, to, ": a range runs between two ints");
  const start = Math.trunc(numberOf(from));
  const end = Math.trunc(numberOf(to));
  const size = Math.max(0, end - start + 1);
  ev.checkCollectionSize(size);
  return Array.from({ length: size }, (_, i) => start + i);
};

/** expr-lang's binary operators that evaluate both sides (and, or and ?? are lazy; the interpreter runs them). */
export const BINARY_OPERATORS: Readonly<Record<string, BinaryOperator>> = {
  "==": (l, r) => valuesEqual(l, r),
  "!=": (l, r) => !valuesEqual(l, r),
  "<": compare("<", (o) => o < 0),
  ">": compare(">", (o) => o > 0),
  "<=": compare("<=", (o) => o <= 0),
  ">=": compare(">=", (o) => o >= 0),
  "+": add,
  "-": subtract,
  "*": multiply,
  "/": (l, r) => {
    if (!isNumber(l) || !isNumber(r)) return mismatch("/", l, r);
    return makeFloat(numberOf(l) / numberOf(r));
  },
  "%": (l, r) => {
    if (!isInt(l) || !isInt(r)) return mismatch("%", l, r, ": % takes two ints");
    if (r === 0) throw new Error("integer divide by zero");
    return l % r;
  },
  "**": (l, r) => (isNumber(l) && isNumber(r) ? makeFloat(numberOf(l) ** numberOf(r)) : mismatch("**", l, r)),
  "^": (l, r) => (isNumber(l) && isNumber(r) ? makeFloat(numberOf(l) ** numberOf(r)) : mismatch("^", l, r)),
  in: membership,
  contains: textOperator("contains", (text, part) => text.includes(part)),
  startsWith: textOperator("startsWith", (text, part) => text.startsWith(part)),
  endsWith: textOperator("endsWith", (text, part) => text.endsWith(part)),
  matches: (left, right, ev) => {
    if (left === null || right === null) return false;
    if (typeof left !== "string" || typeof right !== "string") return mismatch("matches", left, right, ": matches tests a string against a regular expression string");
    return ev.regex(right).test(left);
  },
  "..": range,
};

/** Unary operators: `not`/`!` want a bool, `-`/`+` a number. */
export const UNARY_OPERATORS: Readonly<Record<string, (value: Value) => Value>> = {
  not: (v) => {
    if (typeof v !== "boolean") throw new Error(`"not" needs true or false, got ${describeValue(v)}`);
    return !v;
  },
  "!": (v) => {
    if (typeof v !== "boolean") throw new Error(`"!" needs true or false, got ${describeValue(v)}`);
    return !v;
  },
  "-": (v) => {
    if (!isNumber(v)) throw new Error(`"-" needs a number, got ${describeValue(v)}`);
    return isInt(v) ? makeInt(-v) : makeFloat(-numberOf(v));
  },
  "+": (v) => {
    if (!isNumber(v)) throw new Error(`"+" needs a number, got ${describeValue(v)}`);
    return v;
  },
};
