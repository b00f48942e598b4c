import { suggestName } from "../../../text/suggest-name.js";
import { describeValue } from "./arguments.js";
import type { ExpressionNode, NodeKind, NodeOf } from "./ast.js";
import { mapKey } from "./collection-functions.js";
import { EvaluationError, type Evaluation } from "./evaluation.js";
import { BINARY_OPERATORS, UNARY_OPERATORS } from "./operators.js";
import { FORBIDDEN_NAMES } from "./grammar.js";
import { PREDICATE_FUNCTIONS, type Closure } from "./predicate-functions.js";
import { isMap, isNumber, makeFloat, numberOf, TaggedValue, typeName, type MapValue, type Value } from "./values.js";

/** What a `?.` on nil hands up its chain: the whole chain then reads as nil. */
const NIL_CHAIN = Symbol("nil chain");
type Result = Value | typeof NIL_CHAIN;

/** A `let` variable, visible in the let's body. */
interface Variables {
  name: string;
  value: Value;
  parent: Variables | undefined;
}

/** The element a predicate is running for. */
interface Frame {
  item: Value;
  index: number;
  acc: Value;
}

type Evaluator<K extends NodeKind> = (node: NodeOf<K>, ev: Evaluation, vars: Variables | undefined, frame: Frame | undefined) => Result;

/**
 * Evaluates a parsed expression over plain data. Only own fields of maps and arrays are read,
 * only the functions in the evaluation's table and the methods of our own tagged values can be
 * called, and every node visit counts against the step budget.
 */
export function evaluateNode(node: ExpressionNode, ev: Evaluation): Value {
  const result = run(node, ev, undefined, undefined);
  return result === NIL_CHAIN ? null : result;
}

function run(node: ExpressionNode, ev: Evaluation, vars: Variables | undefined, frame: Frame | undefined): Result {
  try {
    ev.tick();
    return (EVALUATORS[node.kind] as Evaluator<NodeKind>)(node as never, ev, vars, frame);
  } catch (error) {
    if (error instanceof EvaluationError) throw error;
    throw new EvaluationError(error instanceof Error ? error.message : String(error), node.offset);
  }
}

/** Runs a node that is not the object of a postfix chain, so it never hands up NIL_CHAIN. */
function value(node: ExpressionNode, ev: Evaluation, vars: Variables | undefined, frame: Frame | undefined): Value {
  return run(node, ev, vars, frame) as Value;
}

function bool(result: Value, what: string): boolean {
  if (typeof result !== "boolean") throw new Error(`${what} needs true or false, got ${describeValue(result)}`);
  return result;
}

const EVALUATORS: { [K in NodeKind]: Evaluator<K> } = {
  nil: () => null,
  bool: (node) => node.value,
  int: (node) => node.value,
  float: (node) => makeFloat(node.value),
  string: (node) => node.value,
  identifier: (node, ev, vars) => {
    for (let scope = vars; scope; scope = scope.parent) if (scope.name === node.name) return scope.value;
    if (node.name === "$env") return ev.roots;
    if (Object.hasOwn(ev.roots, node.name)) return ev.roots[node.name] ?? null;
    ev.nilReasons.set(node, () => `unknown name "${node.name}"; an expression can read ${Object.keys(ev.roots).join(", ")}`);
    return null;
  },
  pointer: (node, _ev, _vars, frame) => {
    const current = frame as Frame;
    return node.name === "" ? current.item : node.name === "index" ? current.index : current.acc;
  },
  unary: (node, ev, vars, frame) => (UNARY_OPERATORS[node.operator] as (v: Value) => Value)(value(node.operand, ev, vars, frame)),
  binary: (node, ev, vars, frame) => {
    const operator = node.operator;
    if (operator === "and" || operator === "&&" || operator === "or" || operator === "||") {
      const left = bool(value(node.left, ev, vars, frame), `"${operator}"`);
      const stopsAt = operator === "or" || operator === "||";
      if (left === stopsAt) return left;
      return bool(value(node.right, ev, vars, frame), `"${operator}"`);
    }
    if (operator === "??") {
      const left = value(node.left, ev, vars, frame);
      return left === null ? value(node.right, ev, vars, frame) : left;
    }
    const left = value(node.left, ev, vars, frame);
    const right = value(node.right, ev, vars, frame);
    return (BINARY_OPERATORS[operator] as (l: Value, r: Value, e: Evaluation) => Value)(left, right, ev);
  },
  member: (node, ev, vars, frame) => {
    const object = run(node.object, ev, vars, frame);
    if (object === NIL_CHAIN) return NIL_CHAIN;
    const key = value(node.property, ev, vars, frame);
    if (object === null) {
      if (node.optional) return NIL_CHAIN;
      throw new Error(nilMessage(ev, node.object, `read ${describeKey(key)} of`));
    }
    return readMember(object, key, node, ev);
  },
  slice: (node, ev, vars, frame) => {
    const object = run(node.object, ev, vars, frame);
    if (object === NIL_CHAIN) return NIL_CHAIN;
    if (object === null) throw new Error(nilMessage(ev, node.object, "slice"));
    const from = node.from ? value(node.from, ev, vars, frame) : null;
    const to = node.to ? value(node.to, ev, vars, frame) : null;
    return slice(object, from, to, ev);
  },
  call: (node, ev, vars, frame) => {
    if (Object.hasOwn(PREDICATE_FUNCTIONS, node.name)) return callPredicate(node, ev, vars, frame);
    const fn = Object.hasOwn(ev.functions, node.name) ? ev.functions[node.name] : undefined;
    if (!fn) throw new Error(`unknown function ${node.name}()${suggestName(node.name, knownFunctions(ev))}; see docs/expressions.md for the functions`);
    checkArity(`${node.name}()`, fn.arity, node.args.length);
    const args = node.args.map((arg) => value(arg, ev, vars, frame));
    ev.pendingNilReason = undefined;
    let result: Value;
    try {
      result = fn.call(args, ev);
    } catch (error) {
      if (error instanceof EvaluationError) throw error;
      throw new EvaluationError(`${node.name}(): ${(error as Error).message}`, node.offset);
    }
    const reason = ev.pendingNilReason;
    if (result === null && reason) ev.nilReasons.set(node, () => reason);
    return result;
  },
  method: (node, ev, vars, frame) => {
    const object = run(node.object, ev, vars, frame);
    if (object === NIL_CHAIN) return NIL_CHAIN;
    if (object === null) {
      if (node.optional) return NIL_CHAIN;
      throw new Error(nilMessage(ev, node.object, `call ${node.name}() on`));
    }
    const method = object instanceof TaggedValue ? object.method(node.name) : undefined;
    if (!method) {
      const known = object instanceof TaggedValue ? object.methodNames() : [];
      const list = known.length ? `; its methods: ${known.join(", ")}` : "";
      throw new Error(`${typeName(object)} has no method ${node.name}()${suggestName(node.name, known)}${list}`);
    }
    checkArity(`${node.name}()`, method.arity, node.args.length);
    const args = node.args.map((arg) => value(arg, ev, vars, frame));
    try {
      return method.call(args, ev);
    } catch (error) {
      if (error instanceof EvaluationError) throw error;
      throw new EvaluationError(`${node.name}(): ${(error as Error).message}`, node.offset);
    }
  },
  predicate: () => {
    throw new Error("a predicate can only be an argument of filter, map, all, any and the other predicate functions");
  },
  conditional: (node, ev, vars, frame) =>
    bool(value(node.test, ev, vars, frame), "the condition of ? :") ? run(node.consequent, ev, vars, frame) : run(node.alternate, ev, vars, frame),
  array: (node, ev, vars, frame) => ev.list(node.elements.map((element) => value(element, ev, vars, frame))),
  map: (node, ev, vars, frame) => {
    const out: MapValue = {};
    for (const entry of node.entries) out[mapKey(value(entry.key, ev, vars, frame))] = value(entry.value, ev, vars, frame);
    ev.checkCollectionSize(node.entries.length);
    return out;
  },
  let: (node, ev, vars, frame) => run(node.body, ev, { name: node.name, value: value(node.value, ev, vars, frame), parent: vars }, frame),
  sequence: (node, ev, vars, frame) => {
    let last: Result = null;
    for (const part of node.nodes) last = run(part, ev, vars, frame);
    return last;
  },
  chain: (node, ev, vars, frame) => {
    const result = run(node.node, ev, vars, frame);
    return result === NIL_CHAIN ? null : result;
  },
};

function callPredicate(node: NodeOf<"call">, ev: Evaluation, vars: Variables | undefined, frame: Frame | undefined): Value {
  const items = value(node.args[0] as ExpressionNode, ev, vars, frame);
  if (!Array.isArray(items)) throw new Error(`${node.name}() needs an array as its first argument, got ${describeValue(items)}`);
  const predicateNode = node.args[1]?.kind === "predicate" ? node.args[1] : undefined;
  const extra = node.args.slice(2).map((arg) => value(arg, ev, vars, frame));
  const closure: Closure | undefined = predicateNode
    ? (item, index, acc = null) => {
        ev.tick();
        return value(predicateNode.body, ev, vars, { item, index, acc });
      }
    : undefined;
  const fn = PREDICATE_FUNCTIONS[node.name] as (typeof PREDICATE_FUNCTIONS)[string];
  try {
    return fn.call(items, closure, extra, ev);
  } catch (error) {
    if (error instanceof EvaluationError) throw error;
    throw new EvaluationError(`${node.name}(): ${(error as Error).message}`, node.offset);
  }
}

function checkArity(name: string, [min, max]: readonly [number, number], given: number): void {
  if (given >= min && given <= max) return;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  throw new Error(`${name} takes ${expected} argument${expected === "1" ? "" : "s"}, got ${given}`);
}

function knownFunctions(ev: Evaluation): string[] {
  return [...Object.keys(ev.functions), ...Object.keys(PREDICATE_FUNCTIONS)];
}

function describeKey(key: Value): string {
  return typeof key === "string" ? JSON.stringify(key) : describeValue(key);
}

/** "cannot read "x" of vars.tga, which is nil (vars has no field "tga"…)". */
function nilMessage(ev: Evaluation, object: ExpressionNode, verb: string): string {
  const reason = ev.nilReasons.get(object)?.();
  const what = object.kind === "nil" ? "nil" : `${describeNode(object)}, which is nil`;
  return `cannot ${verb} ${what}${reason ? ` (${reason})` : ""}; use ?. to read through nil`;
}

function readMember(object: Value, key: Value, node: NodeOf<"member">, ev: Evaluation): Value {
  if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) throw new Error(`"${key}" may not be used in an expression`);
  if (Array.isArray(object) || (typeof object === "string" && isNumber(key))) {
    if (!isNumber(key)) throw new Error(`${describeNode(node.object)} is ${typeName(object)}; index it with an int, not ${describeValue(key)}`);
    const length = typeof object === "string" ? utf8(object).length : object.length;
    const raw = Math.trunc(numberOf(key));
    const index = raw < 0 ? length + raw : raw;
    if (index < 0 || index >= length) throw new Error(`index out of range: ${raw} (${describeNode(node.object)} has length ${length})`);
    // Go indexes a string by byte.
    return typeof object === "string" ? (utf8(object)[index] as number) : (object[index] as Value);
  }
  if (isMap(object)) {
    const name = typeof key === "string" ? key : isNumber(key) || typeof key === "boolean" ? String(key) : undefined;
    if (name === undefined) throw new Error(`a map's keys are strings, not ${describeValue(key)}`);
    if (Object.hasOwn(object, name)) {
      if (ev.nilReasons.size > 0) ev.nilReasons.delete(node);
      return object[name] ?? null;
    }
    ev.nilReasons.set(node, () => {
      const known = Object.keys(object);
      const has = known.length ? `it has: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}` : "it is empty";
      return `${describeNode(node.object)} has no field ${JSON.stringify(name)}${suggestName(name, known)}; ${has}`;
    });
    return null;
  }
  if (object instanceof TaggedValue && typeof key === "string") {
    const field = object.field(key);
    if (field !== undefined) return field;
    if (object.method(key)) throw new Error(`${key} is a method of ${object.typeName}: call it as ${key}()`);
    const fields = object.fieldNames();
    const known = fields.length ? fields : object.methodNames();
    throw new Error(`${object.typeName} has no field ${JSON.stringify(key)}${suggestName(key, known)}${fields.length ? `; its fields: ${fields.join(", ")}` : ""}`);
  }
  throw new Error(`cannot read ${describeKey(key)} of ${describeNode(node.object)}, which is ${describeValue(object)}`);
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/** Go's slice bounds: negative counts from the end, out-of-range clamps, from > to is empty. */
function slice(object: Value, from: Value, to: Value, ev: Evaluation): Value {
  if (!Array.isArray(object) && typeof object !== "string") throw new Error(`cannot slice ${describeValue(object)}; slices take an array or a string`);
  const ascii = typeof object === "string" && Buffer.byteLength(object, "utf8") === object.length;
  const bytes = typeof object === "string" && !ascii ? utf8(object) : undefined;
  const length = bytes ? bytes.length : object.length;
  const bound = (v: Value, fallback: number): number => {
    if (v === null) return fallback;
    if (!isNumber(v)) throw new Error(`a slice bound is an int, not ${describeValue(v)}`);
    const n = Math.trunc(numberOf(v));
    return Math.min(Math.max(n < 0 ? length + n : n, 0), length);
  };
  const end = bound(to, length);
  const start = Math.min(bound(from, 0), end);
  if (bytes) return ev.text(Buffer.from(bytes.subarray(start, end)).toString("utf8"));
  return Array.isArray(object) ? ev.list(object.slice(start, end)) : object.slice(start, end);
}

const DESCRIBERS: { [K in NodeKind]?: (node: NodeOf<K>) => string } = {
  identifier: (node) => node.name,
  pointer: (node) => `#${node.name}`,
  string: (node) => JSON.stringify(node.value),
  int: (node) => String(node.value),
  nil: () => "nil",
  chain: (node) => describeNode(node.node),
  call: (node) => `${node.name}(${describeArguments(node.args)})`,
  method: (node) => `${describeNode(node.object)}.${node.name}(${describeArguments(node.args)})`,
  member: (node) => {
    const object = describeNode(node.object);
    if (!node.computed && node.property.kind === "string") return `${object}.${node.property.value}`;
    if (node.property.kind === "string") return `${object}[${JSON.stringify(node.property.value)}]`;
    if (node.property.kind === "int") return `${object}[${node.property.value}]`;
    return `${object}[…]`;
  },
};

/** Arguments written out when they are short names or literals, else `…`. */
function describeArguments(args: readonly ExpressionNode[]): string {
  if (args.length === 0) return "";
  const parts = args.map(describeNode);
  const text = parts.join(", ");
  return parts.includes("the value") || text.length > 60 ? "…" : text;
}

/** A short source-like name for a node, for messages: `vars.tag`, `outputs["open-pr"]`, `imageFrom(…)`. */
export function describeNode(node: ExpressionNode): string {
  const describer = DESCRIBERS[node.kind] as ((n: ExpressionNode) => string) | undefined;
  return describer ? describer(node) : "the value";
}
