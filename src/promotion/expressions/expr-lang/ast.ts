/**
 * The parsed form of an expr-lang expression. Every node carries `offset`: the character in the
 * template where the node's token starts, so an error points into the user's text.
 */
export type ExpressionNode =
  | { kind: "nil"; offset: number }
  | { kind: "bool"; value: boolean; offset: number }
  | { kind: "int"; value: number; offset: number }
  | { kind: "float"; value: number; offset: number }
  | { kind: "string"; value: string; offset: number }
  | { kind: "identifier"; name: string; offset: number }
  /** `#` (the element), `#index` or `#acc` inside a predicate. */
  | { kind: "pointer"; name: "" | "index" | "acc"; offset: number }
  | { kind: "unary"; operator: string; operand: ExpressionNode; offset: number }
  | { kind: "binary"; operator: string; left: ExpressionNode; right: ExpressionNode; offset: number }
  /** `a.b` (`computed` false, property a string node) or `a[expr]`; `optional` for `?.`. */
  | { kind: "member"; object: ExpressionNode; property: ExpressionNode; computed: boolean; optional: boolean; offset: number }
  | { kind: "slice"; object: ExpressionNode; from?: ExpressionNode; to?: ExpressionNode; offset: number }
  /** A function called by name: a built-in, a Kargo function, or a predicate built-in. */
  | { kind: "call"; name: string; args: ExpressionNode[]; offset: number }
  /** `value.Name(args)`: a method of a date, a duration, a semantic version… */
  | { kind: "method"; object: ExpressionNode; name: string; args: ExpressionNode[]; optional: boolean; offset: number }
  /** The closure argument of filter, map, all, … */
  | { kind: "predicate"; body: ExpressionNode; offset: number }
  | { kind: "conditional"; test: ExpressionNode; consequent: ExpressionNode; alternate: ExpressionNode; offset: number }
  | { kind: "array"; elements: ExpressionNode[]; offset: number }
  | { kind: "map"; entries: { key: ExpressionNode; value: ExpressionNode }[]; offset: number }
  | { kind: "let"; name: string; value: ExpressionNode; body: ExpressionNode; offset: number }
  | { kind: "sequence"; nodes: ExpressionNode[]; offset: number }
  /** The end of a postfix chain that holds a `?.`: a nil on the way makes the whole chain nil. */
  | { kind: "chain"; node: ExpressionNode; offset: number };

export type NodeKind = ExpressionNode["kind"];
export type NodeOf<K extends NodeKind> = Extract<ExpressionNode, { kind: K }>;

const NO_CHILDREN = (): ExpressionNode[] => [];

// A table the compiler keeps complete: a new node kind does not compile until it says its children.
const CHILDREN: { [K in NodeKind]: (node: NodeOf<K>) => ExpressionNode[] } = {
  nil: NO_CHILDREN,
  bool: NO_CHILDREN,
  int: NO_CHILDREN,
  float: NO_CHILDREN,
  string: NO_CHILDREN,
  identifier: NO_CHILDREN,
  pointer: NO_CHILDREN,
  unary: (n) => [n.operand],
  binary: (n) => [n.left, n.right],
  member: (n) => [n.object, n.property],
  slice: (n) => [n.object, ...(n.from ? [n.from] : []), ...(n.to ? [n.to] : [])],
  call: (n) => n.args,
  method: (n) => [n.object, ...n.args],
  predicate: (n) => [n.body],
  conditional: (n) => [n.test, n.consequent, n.alternate],
  array: (n) => n.elements,
  map: (n) => n.entries.flatMap((e) => [e.key, e.value]),
  let: (n) => [n.value, n.body],
  sequence: (n) => n.nodes,
  chain: (n) => [n.node],
};

/** The direct children of a node, in source order. */
export function childrenOf(node: ExpressionNode): ExpressionNode[] {
  return (CHILDREN[node.kind] as (n: ExpressionNode) => ExpressionNode[])(node);
}

/** Visits every node of the tree, parents before children. */
export function walkNodes(node: ExpressionNode, visit: (node: ExpressionNode) => void): void {
  const pending: ExpressionNode[] = [node];
  while (pending.length > 0) {
    const next = pending.pop() as ExpressionNode;
    visit(next);
    const children = childrenOf(next);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as ExpressionNode);
  }
}
