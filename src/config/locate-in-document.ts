import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
import type { DataPath, SourceLocator, SourcePosition } from "./diagnostic.js";

/** A locator over one parsed YAML document: keys, nodes and characters inside scalars. */
export function locateInDocument(file: string, text: string, doc: Document, lines: LineCounter): SourceLocator {
  const position = (start: number, end: number): SourcePosition => {
    const from = lines.linePos(start);
    const to = lines.linePos(Math.max(start, end));
    // A whole mapping would underline many lines; an annotation should mark the line that starts it.
    if (to.line !== from.line) return { file, line: from.line, column: from.col, endLine: from.line, endColumn: from.col };
    return { file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  };
  const documentStart = (): SourcePosition => position(doc.range?.[0] ?? 0, doc.range?.[0] ?? 0);

  // Each mapping's keys, indexed the first time a path goes through it: a file with thousands of
  // keys, each reported, costs one pass per mapping instead of one per report.
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, segment: string | number): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      // A key set twice keeps its last value (find-duplicate-keys.ts), so the last pair is the one meant.
      for (const p of map.items) if (isPair(p) && isScalar(p.key)) index.set(p.key.value === null ? "" : String(p.key.value), p as Pair);
      indexes.set(map, index);
    }
    return index.get(String(segment));
  };

  const walk = (path: DataPath): { node: Node | null; key: Node | null; matched: number } => {
    let node = doc.contents as Node | null;
    let key: Node | null = null;
    let matched = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = pairOf(node, segment);
        if (!pair) break;
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? null;
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        node = node.items[segment] as Node;
        key = null;
      } else break;
      matched += 1;
    }
    return { node, key, matched };
  };

  const rangeOf = (n: Node | null): [number, number] | undefined => (n?.range ? [n.range[0], n.range[1]] : undefined);

  return {
    at(path) {
      const { node, key, matched } = walk(path);
      const target = (matched === path.length && key ? rangeOf(key) : undefined) ?? rangeOf(key) ?? rangeOf(node);
      return target ? position(target[0], target[1]) : documentStart();
    },
    inValue(path, offset) {
      const { node, matched } = walk(path);
      if (matched !== path.length || !isScalar(node) || !node.range) return this.at(path);
      return position(...scalarOffset(node, offset, text));
    },
  };
}

/** Maps an offset in a scalar's value to an offset in the file (block scalars are indented). */
function scalarOffset(node: Node & { type?: string | null; range?: [number, number, number] | null }, offset: number, text: string): [number, number] {
  const start = node.range?.[0] ?? 0;
  if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") return [start + 1 + offset, start + 1 + offset];
  if (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") return [start + offset, start + offset];
  const value = String((node as { value?: unknown }).value ?? "");
  const before = value.slice(0, offset);
  const lineIndex = before.split("\n").length - 1;
  const columnInLine = offset - (before.lastIndexOf("\n") + 1);
  let cursor = text.indexOf("\n", start) + 1;
  for (let i = 0; i < lineIndex && cursor > 0; i += 1) cursor = text.indexOf("\n", cursor) + 1;
  const indent = /^ */.exec(text.slice(cursor))?.[0].length ?? 0;
  const at = cursor + indent + columnInLine;
  return [at, at];
}
