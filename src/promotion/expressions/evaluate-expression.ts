import { ExpressionError } from "./expression-error.js";
import { EXPRESSION_FUNCTIONS, plain, type FunctionValue } from "./expression-functions.js";
import { FORBIDDEN_NAMES, type ExpressionNode } from "./parse-expression.js";
import type { ExpressionContext, JsonObject, JsonValue } from "./types.js";

/** Raised for a name or field that does not exist; `??` turns it into its right-hand side. */
class MissingValueError extends Error {}

interface Evaluation {
  context: ExpressionContext;
  roots: JsonObject;
}

type NodeEvaluator = (node: ExpressionNode, e: Evaluation) => FunctionValue;

/**
 * Evaluates one parsed expression over plain data. Only own properties of plain objects and
 * arrays are reachable, and only the functions in EXPRESSION_FUNCTIONS can be called.
 */
export function evaluateExpression(node: ExpressionNode, context: ExpressionContext, source: string, offset: number): FunctionValue {
  const roots: JsonObject = {
    ...(context.scope ?? {}),
    ...(context.ctx ? { ctx: context.ctx } : {}),
    vars: context.vars ?? {},
    outputs: context.outputs ?? {},
    ...(context.task ? { task: context.task } : {}),
  };
  try {
    return evaluate(node, { context, roots });
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionError(`${message} (in "${source.trim()}")`, offset);
  }
}

function evaluate(node: ExpressionNode, e: Evaluation): FunctionValue {
  const evaluator = NODE_EVALUATORS[node.type];
  if (!evaluator) throw new Error(`unsupported syntax: ${node.type}`);
  return evaluator(node, e);
}

const NODE_EVALUATORS: Readonly<Record<string, NodeEvaluator>> = {
  Literal: (node) => {
    const value = node.value;
    if (value instanceof RegExp || value === undefined) throw new Error("unsupported literal");
    return value as JsonValue;
  },
  Identifier: (node, e) => {
    const name = node.name as string;
    if (!Object.hasOwn(e.roots, name)) {
      throw new MissingValueError(`unknown name "${name}"; an expression can read ${Object.keys(e.roots).join(", ")}`);
    }
    return e.roots[name] as JsonValue;
  },
  MemberExpression: (node, e) => {
    const object = plain(evaluate(node.object as ExpressionNode, e));
    const property = node.property as ExpressionNode;
    const key = node.computed ? plain(evaluate(property, e)) : (property.name as string);
    return readMember(object, key, describe(node.object as ExpressionNode));
  },
  CallExpression: (node, e) => {
    const callee = node.callee as ExpressionNode;
    const name = callee.type === "Identifier" ? (callee.name as string) : undefined;
    const fn = name !== undefined && Object.hasOwn(EXPRESSION_FUNCTIONS, name) ? EXPRESSION_FUNCTIONS[name] : undefined;
    if (!fn) {
      throw new Error(`unknown function ${name ?? describe(callee)}(); available: ${Object.keys(EXPRESSION_FUNCTIONS).join(", ")}`);
    }
    const args = (node.arguments as ExpressionNode[]).map((arg) => evaluate(arg, e));
    return fn(e.context, args);
  },
  ArrayExpression: (node, e) =>
    (node.elements as (ExpressionNode | null)[]).map((element) => (element ? plain(evaluate(element, e)) : null)),
  ConditionalExpression: (node, e) =>
    truthy(evaluate(node.test as ExpressionNode, e)) ? evaluate(node.consequent as ExpressionNode, e) : evaluate(node.alternate as ExpressionNode, e),
  UnaryExpression: (node, e) => {
    const operator = UNARY_OPERATORS[node.operator as string];
    if (!operator) throw new Error(`unsupported operator "${String(node.operator)}"`);
    return operator(plain(evaluate(node.argument as ExpressionNode, e)));
  },
  BinaryExpression: (node, e) => {
    const op = node.operator as string;
    const left = node.left as ExpressionNode;
    const right = node.right as ExpressionNode;
    const lazy = LAZY_OPERATORS[op];
    if (lazy) return lazy(() => evaluate(left, e), () => evaluate(right, e));
    const operator = BINARY_OPERATORS[op];
    if (!operator) throw new Error(`unsupported operator "${op}"`);
    return operator(evaluate(left, e), evaluate(right, e));
  },
};

function readMember(object: JsonValue, key: JsonValue, path: string): JsonValue {
  if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) throw new Error(`"${key}" may not be used in an expression`);
  if (Array.isArray(object)) {
    if (typeof key !== "number" || !Number.isInteger(key)) throw new Error(`${path} is a list; index it with a whole number, not ${JSON.stringify(key)}`);
    const index = key < 0 ? object.length + key : key;
    if (index < 0 || index >= object.length) throw new MissingValueError(`${path}[${key}] is out of range (the list has ${object.length} items)`);
    return object[index] as JsonValue;
  }
  if (isPlainObject(object)) {
    const name = String(key);
    if (!Object.hasOwn(object, name)) {
      const known = Object.keys(object);
      throw new MissingValueError(`${path} has no field "${name}"${known.length ? ` (it has: ${known.slice(0, 20).join(", ")})` : " (it is empty)"}`);
    }
    return object[name] as JsonValue;
  }
  throw new Error(`cannot read "${String(key)}" of ${path}, which is ${object === null ? "null" : typeof object}`);
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(node: ExpressionNode): string {
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "Literal") return String(node.raw);
  if (node.type === "MemberExpression") {
    const property = node.property as ExpressionNode;
    const object = describe(node.object as ExpressionNode);
    return node.computed ? `${object}[${describe(property)}]` : `${object}.${String(property.name)}`;
  }
  if (node.type === "CallExpression") return `${describe(node.callee as ExpressionNode)}(…)`;
  return "the value";
}

function truthy(value: FunctionValue): boolean {
  return !(value === null || value === false || value === 0 || value === "");
}

const UNARY_OPERATORS: Readonly<Record<string, (v: JsonValue) => JsonValue>> = {
  "!": (v) => !truthy(v),
  not: (v) => !truthy(v),
  "-": (v) => -number("-", v),
  "+": (v) => number("+", v),
};

const LAZY_OPERATORS: Readonly<Record<string, (left: () => FunctionValue, right: () => FunctionValue) => FunctionValue>> = {
  "&&": (l, r) => truthy(l()) && truthy(r()),
  and: (l, r) => truthy(l()) && truthy(r()),
  "||": (l, r) => truthy(l()) || truthy(r()),
  or: (l, r) => truthy(l()) || truthy(r()),
  "??": (l, r) => {
    try {
      const value = l();
      return value === null ? r() : value;
    } catch (error) {
      if (error instanceof MissingValueError) return r();
      throw error;
    }
  },
};

const BINARY_OPERATORS: Readonly<Record<string, (l: FunctionValue, r: FunctionValue) => JsonValue>> = {
  "==": (l, r) => equal(plain(l), plain(r)),
  "!=": (l, r) => !equal(plain(l), plain(r)),
  "<": (l, r) => compare("<", l, r) < 0,
  "<=": (l, r) => compare("<=", l, r) <= 0,
  ">": (l, r) => compare(">", l, r) > 0,
  ">=": (l, r) => compare(">=", l, r) >= 0,
  "+": (l, r) => {
    const left = plain(l);
    const right = plain(r);
    if (typeof left === "number" && typeof right === "number") return left + right;
    if (typeof left === "string" || typeof right === "string") return text(left) + text(right);
    throw new Error(`"+" adds numbers or joins strings, not ${typeName(left)} and ${typeName(right)}`);
  },
  "-": (l, r) => number("-", plain(l)) - number("-", plain(r)),
  "*": (l, r) => number("*", plain(l)) * number("*", plain(r)),
  "/": (l, r) => {
    const divisor = number("/", plain(r));
    if (divisor === 0) throw new Error("division by zero");
    return number("/", plain(l)) / divisor;
  },
  "%": (l, r) => {
    const divisor = number("%", plain(r));
    if (divisor === 0) throw new Error("division by zero");
    return number("%", plain(l)) % divisor;
  },
  in: (l, r) => {
    const needle = plain(l);
    const haystack = plain(r);
    if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
    if (isPlainObject(haystack)) return typeof needle === "string" && Object.hasOwn(haystack, needle);
    if (typeof haystack === "string" && typeof needle === "string") return haystack.includes(needle);
    throw new Error(`"in" needs a list, an object or a string on its right, not ${typeName(haystack)}`);
  },
};

function text(value: JsonValue): string {
  if (value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function number(op: string, value: JsonValue): number {
  if (typeof value !== "number") throw new Error(`"${op}" needs numbers, got ${typeName(value)} ${JSON.stringify(value)}`);
  return value;
}

function compare(op: string, l: FunctionValue, r: FunctionValue): number {
  const left = plain(l);
  const right = plain(r);
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0;
  throw new Error(`"${op}" compares two numbers or two strings, not ${typeName(left)} and ${typeName(right)}`);
}

function equal(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function typeName(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

