import { describeValue, numberArg } from "./arguments.js";
import type { Evaluation, FunctionTable } from "./evaluation.js";
import { FloatValue, isInt, isNumber, makeFloat, makeInt, numberOf, type Value } from "./values.js";
import { MAX_VALUE_DEPTH } from "./budgets.js";

/** expr-lang's number built-ins. ceil, floor and round give floats, as in Go's math package. */
export const NUMBER_FUNCTIONS: FunctionTable = {
  abs: {
    arity: [1, 1],
    call: (args) => {
      const value = args[0] ?? null;
      if (!isNumber(value)) throw new Error(`argument 1 must be a number, got ${describeValue(value)}`);
      return isInt(value) ? makeInt(Math.abs(value)) : makeFloat(Math.abs(numberOf(value)));
    },
  },
  ceil: { arity: [1, 1], call: (args) => makeFloat(Math.ceil(numberArg(args, 0))) },
  floor: { arity: [1, 1], call: (args) => makeFloat(Math.floor(numberArg(args, 0))) },
  // Go rounds half away from zero (-2.5 → -3); JavaScript's Math.round rounds it up.
  round: { arity: [1, 1], call: (args) => makeFloat(Math.sign(numberArg(args, 0)) * Math.round(Math.abs(numberArg(args, 0)))) },
  max: { arity: [1, Infinity], call: (args, ev) => extreme(args, ev, "max", (a, b) => b > a) },
  min: { arity: [1, Infinity], call: (args, ev) => extreme(args, ev, "min", (a, b) => b < a) },
  mean: {
    arity: [1, Infinity],
    call: (args, ev) => {
      const numbers = numbersIn(args, ev, "mean");
      return numbers.length === 0 ? new FloatValue(0) : makeFloat(numbers.reduce<number>((sum, n) => sum + numberOf(n), 0) / numbers.length);
    },
  },
  median: {
    arity: [1, Infinity],
    call: (args, ev) => {
      const numbers = numbersIn(args, ev, "median")
        .map(numberOf)
        .sort((a, b) => a - b);
      if (numbers.length === 0) return new FloatValue(0);
      const middle = Math.floor(numbers.length / 2);
      return makeFloat(numbers.length % 2 === 1 ? (numbers[middle] as number) : ((numbers[middle - 1] as number) + (numbers[middle] as number)) / 2);
    },
  },
};

/** Every number in the arguments, arrays (and arrays in arrays) opened. */
function numbersIn(args: Value[], ev: Evaluation, name: string): (number | FloatValue)[] {
  const out: (number | FloatValue)[] = [];
  const visit = (value: Value, depth: number) => {
    ev.tick();
    if (isNumber(value)) out.push(value);
    else if (Array.isArray(value)) {
      if (depth > MAX_VALUE_DEPTH) throw new Error(`arrays nest deeper than ${MAX_VALUE_DEPTH} levels`);
      for (const item of value) visit(item, depth + 1);
    } else throw new Error(`${name} takes numbers or arrays of numbers, got ${describeValue(value)}`);
  };
  for (const arg of args) visit(arg, 0);
  return out;
}

function extreme(args: Value[], ev: Evaluation, name: string, better: (current: number, candidate: number) => boolean): Value {
  let best: number | FloatValue | null = null;
  for (const candidate of numbersIn(args, ev, name)) {
    if (best === null || better(numberOf(best), numberOf(candidate))) best = candidate;
  }
  return best;
}
