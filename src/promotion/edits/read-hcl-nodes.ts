import type { Node } from "web-tree-sitter";

/** Reading the tree-sitter HCL grammar's nodes: names, labels, keys, and which values are literals. */

export function bodyItems(owner: Node): Node[] {
  const body = owner.namedChildren.find((child) => child.type === "body");
  return body ? body.namedChildren.filter((child) => child.type === "attribute" || child.type === "block") : [];
}

export function nameOf(item: Node): string {
  return item.namedChildren[0]?.text ?? "";
}

export function attributeValue(attribute: Node): Node {
  return attribute.namedChildren.find((child) => child.type === "expression") as Node;
}

export function blockLabels(block: Node): string[] {
  return block.namedChildren
    .slice(1)
    .filter((child) => child.type === "string_lit" || child.type === "identifier")
    .map((label) => (label.type === "string_lit" ? decodeString(label) : label.text));
}

export function blockTitle(block: Node): string {
  return [nameOf(block), ...blockLabels(block).map((label) => JSON.stringify(label))].join(" ");
}

export function objectElements(object: Node): Node[] {
  return object.namedChildren.filter((child) => child.type === "object_elem");
}

/** An object key that is a bare name or a plain string; undefined for a computed key like `(var.k)`. */
export function objectKey(element: Node): string | undefined {
  const key = unwrap(element.childForFieldName("key") as Node);
  if (key.type === "variable_expr") return key.text;
  const literal = key.type === "literal_value" ? key.namedChildren[0] : undefined;
  return literal?.type === "string_lit" ? decodeString(literal) : undefined;
}

export function unwrap(node: Node): Node {
  let current = node;
  while ((current.type === "expression" || current.type === "collection_value") && current.childCount === 1) current = current.child(0) as Node;
  return current;
}

const STRING_ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function decodeString(stringLit: Node): string {
  const raw = stringLit.namedChildren.find((child) => child.type === "template_literal")?.text ?? "";
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{/g, (match, u4?: string, u8?: string, char?: string) => {
    if (u4 ?? u8) return String.fromCodePoint(parseInt((u4 ?? u8) as string, 16));
    if (char !== undefined) return STRING_ESCAPES[char] ?? match;
    return match.slice(1);
  });
}

export function heredocOf(expression: Node): Node | undefined {
  const value = unwrap(expression);
  const template = value.type === "template_expr" ? value.namedChildren[0] : undefined;
  return template?.type === "heredoc_template" ? template : undefined;
}

/** Which values count as literals: what an edit may overwrite without replaceExpression. */
const LITERALS: Readonly<Record<string, (node: Node) => boolean>> = {
  literal_value: () => true,
  operation: (node) => {
    const unary = node.namedChildren[0];
    const operand = unary?.namedChildren[0];
    return unary?.type === "unary_operation" && unary.child(0)?.type === "-" && operand?.namedChildren[0]?.type === "numeric_lit";
  },
  tuple: (node) => node.namedChildren.filter((child) => child.type === "expression").every(isLiteral),
  object: (node) => objectElements(node).every((element) => objectKey(element) !== undefined && isLiteral(element.childForFieldName("val") as Node)),
  template_expr: (node) => {
    const template = node.namedChildren[0];
    return template?.type === "heredoc_template" && !template.namedChildren.some((child) => child.type === "template_interpolation" || child.type === "template_directive");
  },
};

export function isLiteral(expression: Node): boolean {
  const value = unwrap(expression);
  return LITERALS[value.type]?.(value) ?? false;
}

const DESCRIPTIONS: Readonly<Record<string, (node: Node) => string>> = {
  literal_value: (node) => ({ string_lit: "a string", numeric_lit: "a number", bool_lit: "a boolean", null_lit: "null" })[node.namedChildren[0]?.type ?? ""] ?? "a value",
  template_expr: (node) => (node.namedChildren[0]?.type === "heredoc_template" ? "a heredoc" : "a string template"),
  tuple: () => "a list",
  object: () => "an object",
  variable_expr: () => "a reference",
  function_call: () => "a function call",
  for_expr: () => "a for expression",
  conditional: () => "a conditional",
  operation: () => "an operation",
  expression: (node) => (node.namedChildren[0]?.type === "variable_expr" ? "a reference" : "an expression"),
};

export function describe(value: Node): string {
  const kind = DESCRIPTIONS[value.type]?.(value) ?? "an expression";
  const source = value.text.length > 40 ? `${value.text.slice(0, 40)}…` : value.text;
  return `${kind} (${source.replaceAll("\n", " ")})`;
}
