import { arrayArg, describeValue, mapArg, strictIntArg, stringArg } from "./arguments.js";
import { MAX_VALUE_DEPTH } from "./budgets.js";
import { compareValues } from "./compare-values.js";
import type { FunctionTable } from "./evaluation.js";
import { goText } from "./go-text.js";
import { FORBIDDEN_NAMES } from "./grammar.js";
import { isInt, valuesEqual, type MapValue, type Value } from "./values.js";

/** expr-lang's array and map built-ins that take no predicate. */
export const COLLECTION_FUNCTIONS: FunctionTable = {
  first: { arity: [1, 1], call: (args) => (Array.isArray(args[0]) ? (args[0][0] ?? null) : null) },
  last: { arity: [1, 1], call: (args) => (Array.isArray(args[0]) ? (args[0][args[0].length - 1] ?? null) : null) },
  take: {
    arity: [2, 2],
    call: (args, ev) => {
      const items = arrayArg(args, 0);
      const count = strictIntArg(args, 1);
      if (count < 0) throw new Error(`cannot take ${count} elements`);
      return ev.list(items.slice(0, count));
    },
  },
  reverse: { arity: [1, 1], call: (args, ev) => ev.list([...arrayArg(args, 0)].reverse()) },
  uniq: {
    arity: [1, 1],
    call: (args, ev) => {
      const out: Value[] = [];
      for (const item of arrayArg(args, 0)) {
        ev.tick(out.length + 1);
        if (!out.some((kept) => valuesEqual(kept, item))) out.push(item);
      }
      return ev.list(out);
    },
  },
  concat: {
    arity: [1, Infinity],
    call: (args, ev) => {
      const arrays = args.map((_, i) => arrayArg(args, i));
      ev.checkCollectionSize(arrays.reduce((sum, a) => sum + a.length, 0));
      return arrays.flat(1);
    },
  },
  flatten: {
    arity: [1, 1],
    call: (args, ev) => {
      const out: Value[] = [];
      const visit = (items: Value[], depth: number) => {
        if (depth > MAX_VALUE_DEPTH) throw new Error(`arrays nest deeper than ${MAX_VALUE_DEPTH} levels`);
        for (const item of items) {
          ev.tick();
          if (Array.isArray(item)) visit(item, depth + 1);
          else out.push(item);
        }
      };
      visit(arrayArg(args, 0), 0);
      return ev.list(out);
    },
  },
  sort: {
    arity: [1, 2],
    call: (args, ev) => {
      const descending = orderArg(args, 1);
      const items = [...arrayArg(args, 0)];
      ev.tick(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
      return ev.list(items.sort((a, b) => (descending ? compareValues(b, a) : compareValues(a, b))));
    },
  },
  keys: { arity: [1, 1], call: (args, ev) => ev.list(Object.keys(mapArg(args, 0))) },
  values: { arity: [1, 1], call: (args, ev) => ev.list(Object.values(mapArg(args, 0))) },
  toPairs: { arity: [1, 1], call: (args, ev) => ev.list(Object.entries(mapArg(args, 0)).map(([k, v]) => [k, v])) },
  fromPairs: {
    arity: [1, 1],
    call: (args, ev) => {
      const out: MapValue = {};
      arrayArg(args, 0).forEach((pair, i) => {
        ev.tick();
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`element ${i} is ${describeValue(pair)}; each pair is [key, value]`);
        out[mapKey(pair[0] as Value)] = pair[1] as Value;
      });
      ev.checkCollectionSize(Object.keys(out).length);
      return out;
    },
  },
};

/** `sort(…, "desc")`, `sortBy(…, "asc")`: true for descending. */
export function orderArg(args: Value[], index: number): boolean {
  if (args.length <= index) return false;
  const order = stringArg(args, index);
  if (order !== "asc" && order !== "desc") throw new Error(`the order is "asc" or "desc", not ${JSON.stringify(order)}`);
  return order === "desc";
}

/** A value used as a map key (a map literal, groupBy, fromPairs): strings as they are, ints and bools as text. */
export function mapKey(key: Value): string {
  if (typeof key === "string") {
    if (FORBIDDEN_NAMES.has(key)) throw new Error(`"${key}" may not be used in an expression`);
    return key;
  }
  if (isInt(key) || typeof key === "boolean" || key === null) return goText(key);
  throw new Error(`a map key is a string, an int or a bool, not ${describeValue(key)}`);
}
