import { isCollection, isMap, isScalar, isSeq, parseDocument, Scalar, stringify, type Document, type Node } from "yaml";
import { parseKeyPath } from "./parse-key-path.js";

export interface KeyUpdate {
  key: string;
  value: unknown;
}

/**
 * Applies updates to YAML text by splicing only the changed values into the original text, so
 * every untouched line keeps its bytes: comments, order, quoting and indentation. A missing key
 * is added as a new line at the end of its parent mapping.
 */
export function updateYamlText(text: string, updates: KeyUpdate[], file = "the file"): string {
  let out = text;
  for (const update of updates) out = applyOne(out, update, file);
  return out;
}

function applyOne(text: string, update: KeyUpdate, file: string): string {
  const doc = parseYaml(text, file);
  const path = parseKeyPath(update.key);
  const node = doc.getIn(path, true) as Node | undefined;
  if (node !== undefined && isScalar(node) && isScalarValue(update.value) && node.range) {
    return text.slice(0, node.range[0]) + renderScalar(node, update.value) + text.slice(node.range[1]);
  }
  if (node !== undefined && isCollection(node) && node.range && !node.flow) {
    return replaceBlock(text, node, update.value);
  }
  return insertMissing(text, doc, path, update, file);
}

export function parseYaml(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const [first] = doc.errors;
  if (first) {
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    throw new Error(`${file} is not valid YAML${where}: ${first.message.split("\n")[0]}`);
  }
  return doc;
}

function renderScalar(node: Scalar, value: string | number | boolean | null): string {
  if (typeof value === "string" && node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (typeof value === "string" && node.type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  return stringify(value).trimEnd();
}

function replaceBlock(text: string, node: Node, value: unknown): string {
  const [start, end] = node.range as [number, number, number];
  const indent = columnOf(text, start);
  const rendered = indentBlock(stringify(value).trimEnd(), indent).slice(indent);
  const tail = text.slice(end);
  return text.slice(0, start) + rendered + (text.slice(start, end).endsWith("\n") ? "\n" : "") + tail;
}

function insertMissing(text: string, doc: Document.Parsed, path: (string | number)[], update: KeyUpdate, file: string): string {
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth);
    const parent = (depth === 0 ? doc.contents : doc.getIn(parentPath, true)) as Node | null | undefined;
    if (parent === undefined || parent === null) continue;
    if (isMap(parent) && !parent.flow && parent.items.length > 0 && typeof path[depth] === "string") {
      const first = parent.items[0]?.key as Node | undefined;
      const last = parent.items[parent.items.length - 1];
      const lastEnd = ((last?.value as Node | null)?.range ?? (last?.key as Node | null)?.range)?.[1];
      if (!first?.range || lastEnd === undefined) break;
      const indent = columnOf(text, first.range[0]);
      const nested = nest(path.slice(depth) as string[], update.value);
      const insertAt = lineEnd(text, Math.max(lastEnd - 1, 0));
      const block = indentBlock(stringify(nested).trimEnd(), indent);
      const before = text.slice(0, insertAt);
      return before + (before.endsWith("\n") || before === "" ? "" : "\n") + block + "\n" + text.slice(insertAt);
    }
    if (isSeq(parent) || isScalar(parent)) {
      throw new Error(`${file}: cannot set "${update.key}": "${path.slice(0, depth).join(".") || "the document"}" is not a mapping (missing list items are not created)`);
    }
    break;
  }
  throw new Error(`${file}: cannot add "${update.key}": its parent is empty or written in flow style ({...}); add the key by hand once`);
}

function nest(keys: string[], value: unknown): unknown {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function isScalarValue(value: unknown): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function indentBlock(block: string, indent: number): string {
  const pad = " ".repeat(indent);
  return block
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}
