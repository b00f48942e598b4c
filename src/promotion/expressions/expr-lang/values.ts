import type { JsonValue } from "../types.js";
import { MAX_VALUE_DEPTH } from "./budgets.js";
import type { Evaluation } from "./evaluation.js";

/**
 * A float whose value happens to be whole (`4 / 2`, `2 ** 2`, `ceil(1.5)`). expr-lang keeps ints
 * and floats apart (`type(4 / 2)` is "float", `%` refuses it), so such a float is boxed; every
 * other number is a plain JS number: whole means int, fractional means float.
 */
export class FloatValue {
  constructor(readonly value: number) {}
}

/** A method of a tagged value, already bound to it. */
export interface Method {
  /** Fewest and most arguments. */
  arity: readonly [number, number];
  call(args: Value[], ev: Evaluation): Value;
}

export type MethodTable<T> = Readonly<Record<string, { arity: readonly [number, number]; call: (self: T, args: Value[], ev: Evaluation) => Value }>>;

/**
 * A value that is not plain data: a date, a duration, a time zone, a semantic version, one of
 * Kargo's structs. It is one of our own classes; only the methods in its table can be called and
 * only its declared fields read.
 */
export abstract class TaggedValue {
  /** What `type()` returns. */
  abstract readonly typeName: string;
  abstract method(name: string): Method | undefined;
  abstract methodNames(): string[];
  /** How Go's encoding/json writes it (Kargo turns results into JSON). */
  abstract toJSON(): JsonValue;
  /** How Go's fmt `%v` writes it (`string()`). */
  abstract toText(): string;
  abstract equals(other: Value): boolean;

  /** A field read with `.Name`; undefined when there is no such field. */
  field(_name: string): Value | undefined {
    return undefined;
  }

  fieldNames(): string[] {
    return [];
  }

  /** Negative, zero or positive against another value of its kind; undefined when they do not compare. */
  compare(_other: Value): number | undefined {
    return undefined;
  }
}

export type Value = null | boolean | number | string | FloatValue | TaggedValue | Value[] | MapValue;
export interface MapValue {
  [key: string]: Value;
}

export function bindMethod<T>(table: MethodTable<T>, self: T, name: string): Method | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const entry = table[name] as MethodTable<T>[string];
  return { arity: entry.arity, call: (args, ev) => entry.call(self, args, ev) };
}

export function isNumber(value: Value): value is number | FloatValue {
  return typeof value === "number" || value instanceof FloatValue;
}

export function isInt(value: Value): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

export function isFloat(value: Value): value is number | FloatValue {
  return value instanceof FloatValue || (typeof value === "number" && !Number.isInteger(value));
}

export function numberOf(value: number | FloatValue): number {
  return typeof value === "number" ? value : value.value;
}

/** A float result: boxed when whole so it stays a float. */
export function makeFloat(value: number): number | FloatValue {
  return Number.isInteger(value) ? new FloatValue(value) : value;
}

/** An int result; Stagecoach's ints are exact up to 2^53, so beyond that is an overflow. */
export function makeInt(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`integer overflow: ${value} is beyond ±${Number.MAX_SAFE_INTEGER}`);
  return value;
}

export function isMap(value: Value): value is MapValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof FloatValue) && !(value instanceof TaggedValue);
}

/** expr-lang's name for the kind of a value, as `type()` returns it and errors say it. */
export function typeName(value: Value): string {
  if (value === null) return "nil";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "string";
  if (isNumber(value)) return isInt(value) ? "int" : "float";
  if (Array.isArray(value)) return "array";
  if (value instanceof TaggedValue) return value.typeName;
  return "map";
}

/** expr-lang's `==`: numbers by value whatever their kind, arrays and maps element by element. */
export function valuesEqual(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (isNumber(a) || isNumber(b)) return isNumber(a) && isNumber(b) && numberOf(a) === numberOf(b);
  if (a instanceof TaggedValue) return a.equals(b);
  if (b instanceof TaggedValue || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (depth > MAX_VALUE_DEPTH) throw new Error(`values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i] as Value, depth + 1));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key] as Value, b[key] as Value, depth + 1));
}
