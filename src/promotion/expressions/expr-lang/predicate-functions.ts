import { describeValue } from "./arguments.js";
import { mapKey, orderArg } from "./collection-functions.js";
import { compareValues } from "./compare-values.js";
import type { Evaluation } from "./evaluation.js";
import { isInt, isNumber, makeFloat, makeInt, numberOf, type MapValue, type Value } from "./values.js";

/** The predicate of a call, run for one element: `#` is `item`, `#index` the index, `#acc` the accumulator. */
export type Closure = (item: Value, index: number, acc?: Value) => Value;

export interface PredicateFunction {
  call(items: Value[], predicate: Closure | undefined, extra: Value[], ev: Evaluation): Value;
}

function test(predicate: Closure, item: Value, index: number, name: string): boolean {
  const result = predicate(item, index);
  if (typeof result !== "boolean") throw new Error(`the predicate of ${name} must give true or false, got ${describeValue(result)}`);
  return result;
}

function findFrom(name: string, backwards: boolean, giveIndex: boolean): PredicateFunction {
  return {
    call: (items, predicate) => {
      for (let step = 0; step < items.length; step++) {
        const i = backwards ? items.length - 1 - step : step;
        if (test(predicate as Closure, items[i] as Value, i, name)) return giveIndex ? i : (items[i] as Value);
      }
      return null;
    },
  };
}

function add(left: Value, right: Value): Value {
  if (!isNumber(left) || !isNumber(right)) throw new Error(`sum adds numbers, got ${describeValue(isNumber(left) ? right : left)}`);
  return isInt(left) && isInt(right) ? makeInt(left + right) : makeFloat(numberOf(left) + numberOf(right));
}

/**
 * expr-lang's built-ins that take a predicate. The interpreter hands each one the array, the
 * predicate as a closure (it counts a step per call) and any further arguments, evaluated.
 */
export const PREDICATE_FUNCTIONS: Readonly<Record<string, PredicateFunction>> = {
  all: { call: (items, p) => items.every((item, i) => test(p as Closure, item, i, "all")) },
  none: { call: (items, p) => !items.some((item, i) => test(p as Closure, item, i, "none")) },
  any: { call: (items, p) => items.some((item, i) => test(p as Closure, item, i, "any")) },
  one: {
    call: (items, p) => {
      let matches = 0;
      for (let i = 0; i < items.length && matches < 2; i++) if (test(p as Closure, items[i] as Value, i, "one")) matches++;
      return matches === 1;
    },
  },
  filter: { call: (items, p, _extra, ev) => ev.list(items.filter((item, i) => test(p as Closure, item, i, "filter"))) },
  map: { call: (items, p, _extra, ev) => ev.list(items.map((item, i) => (p as Closure)(item, i))) },
  count: {
    call: (items, p) => {
      const predicate: Closure = p ?? ((item) => item);
      return items.filter((item, i) => test(predicate, item, i, "count")).length;
    },
  },
  sum: { call: (items, p) => items.reduce<Value>((total, item, i) => add(p ? p(item, i) : item, total), 0) },
  find: findFrom("find", false, false),
  findIndex: findFrom("findIndex", false, true),
  findLast: findFrom("findLast", true, false),
  findLastIndex: findFrom("findLastIndex", true, true),
  groupBy: {
    call: (items, p, _extra, ev) => {
      const groups: MapValue = {};
      items.forEach((item, i) => {
        const key = mapKey((p as Closure)(item, i));
        const group = Object.hasOwn(groups, key) ? (groups[key] as Value[]) : (groups[key] = []);
        group.push(item);
      });
      ev.checkCollectionSize(Object.keys(groups).length);
      return groups;
    },
  },
  sortBy: {
    call: (items, p, extra, ev) => {
      const descending = orderArg(extra, 0);
      const keyed = items.map((item, i) => ({ item, key: (p as Closure)(item, i) }));
      ev.tick(items.length * Math.max(1, Math.ceil(Math.log2(items.length + 1))));
      keyed.sort((a, b) => (descending ? compareValues(b.key, a.key) : compareValues(a.key, b.key)));
      return ev.list(keyed.map((k) => k.item));
    },
  },
  reduce: {
    call: (items, p, extra) => {
      const hasInitial = extra.length > 0;
      if (!hasInitial && items.length === 0) throw new Error("reduce of an empty array needs an initial value (the third argument)");
      let acc: Value = hasInitial ? (extra[0] as Value) : (items[0] as Value);
      for (let i = hasInitial ? 0 : 1; i < items.length; i++) acc = (p as Closure)(items[i] as Value, i, acc);
      return acc;
    },
  },
};
