import { goText } from "./go-text.js";
import { isInt, isMap, isNumber, numberOf, typeName, type MapValue, type Value } from "./values.js";

/*
 * Readers for a function's arguments: each refuses a wrong type with the argument's position and
 * what it got, so `split(1, ",")` says "argument 1 must be a string, got int 1".
 */

function got(value: Value | undefined): string {
  if (value === undefined) return "nothing";
  const shown = typeof value === "string" ? JSON.stringify(value) : goText(value);
  return `${typeName(value)} ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
}

export function stringArg(args: Value[], index: number): string {
  const value = args[index];
  if (typeof value !== "string") throw new Error(`argument ${index + 1} must be a string, got ${got(value)}`);
  return value;
}

/** A whole number; floats are cut toward zero, as expr-lang's ToInt does. */
export function intArg(args: Value[], index: number): number {
  const value = args[index] ?? null;
  if (!isNumber(value)) throw new Error(`argument ${index + 1} must be an int, got ${got(args[index])}`);
  return Math.trunc(numberOf(value));
}

/** An int and nothing else (bitwise functions, take). */
export function strictIntArg(args: Value[], index: number): number {
  const value = args[index] ?? null;
  if (!isInt(value)) throw new Error(`argument ${index + 1} must be an int, got ${got(args[index])}`);
  return value;
}

export function numberArg(args: Value[], index: number): number {
  const value = args[index] ?? null;
  if (!isNumber(value)) throw new Error(`argument ${index + 1} must be a number, got ${got(args[index])}`);
  return numberOf(value);
}

export function arrayArg(args: Value[], index: number): Value[] {
  const value = args[index];
  if (!Array.isArray(value)) throw new Error(`argument ${index + 1} must be an array, got ${got(value)}`);
  return value;
}

export function mapArg(args: Value[], index: number): MapValue {
  const value = args[index] ?? null;
  if (!isMap(value)) throw new Error(`argument ${index + 1} must be a map, got ${got(args[index])}`);
  return value;
}

export function describeValue(value: Value | undefined): string {
  return got(value);
}
