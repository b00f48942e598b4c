import jsep from "jsep";
import { ExpressionError } from "./expression-error.js";

export type ExpressionNode = jsep.Expression;

/** Names that would reach an object's prototype machinery; refused wherever they appear. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["constructor", "__proto__", "prototype"]);

// Kargo's expression language (expr-lang) spells the logical operators as words too.
jsep.addBinaryOp("or", 1);
jsep.addBinaryOp("and", 2);
jsep.addBinaryOp("in", 7);
jsep.addUnaryOp("not");

const ALLOWED_NODES: ReadonlySet<string> = new Set([
  "Literal",
  "Identifier",
  "MemberExpression",
  "CallExpression",
  "BinaryExpression",
  "UnaryExpression",
  "ConditionalExpression",
  "ArrayExpression",
]);

/**
 * Parses one expression (the text between `${{` and `}}`). `offset` is where `source` starts in the
 * template, so errors point into the template rather than into the fragment.
 */
export function parseExpression(source: string, offset: number): ExpressionNode {
  if (source.trim() === "") throw new ExpressionError("empty expression: write a value between the delimiters", offset);
  let node: ExpressionNode;
  try {
    node = jsep(source);
  } catch (error) {
    const index = typeof (error as { index?: unknown }).index === "number" ? (error as { index: number }).index : 0;
    const description = (error as { description?: string }).description ?? (error as Error).message;
    throw new ExpressionError(`cannot parse expression: ${description}`, offset + index);
  }
  checkNode(node, source, offset);
  return node;
}

function checkNode(node: ExpressionNode, source: string, offset: number): void {
  if (!ALLOWED_NODES.has(node.type)) {
    const hint = node.type === "Compound" ? " (two expressions side by side; join them with an operator)" : "";
    throw new ExpressionError(`unsupported syntax: ${node.type}${hint}`, offset);
  }
  const name = nameOf(node);
  if (name !== undefined && FORBIDDEN_NAMES.has(name)) {
    throw new ExpressionError(`"${name}" may not be used in an expression`, offset + Math.max(0, source.indexOf(name)));
  }
  for (const child of childrenOf(node)) checkNode(child, source, offset);
}

function nameOf(node: ExpressionNode): string | undefined {
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "MemberExpression") {
    const property = node.property as ExpressionNode;
    if (!node.computed && property.type === "Identifier") return property.name as string;
    if (property.type === "Literal" && typeof property.value === "string") return property.value;
  }
  return undefined;
}

function childrenOf(node: ExpressionNode): ExpressionNode[] {
  const children: ExpressionNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    // A non-computed member's property is a name, already checked by nameOf, not a variable.
    if (key === "property" && node.type === "MemberExpression" && !node.computed) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is ExpressionNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
