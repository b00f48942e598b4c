import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { Language, Parser, type Node, type Tree } from "web-tree-sitter";

/**
 * Parsing HCL for the byte-preserving editor. npm has no pure-JavaScript HCL2 parser that keeps
 * source positions: hcl2-parser and @cdktf/hcl2json compile HashiCorp's Go parser to JavaScript or
 * WebAssembly but only hand back JSON, and the Lezer grammar comes bundled with CodeMirror. The
 * tree-sitter grammar the tree-sitter project maintains for HCL and Terraform ships as
 * WebAssembly and gives every node its offsets, so edits splice into the original text. Its
 * offsets are UTF-16 code units, the same as JavaScript string indexes.
 */

export interface HclBudget {
  /** Largest file accepted, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of blocks and values: each block, bracket, brace, parenthesis and interpolation is a level. */
  maxNesting: number;
  /** Longest a parse may run before it is abandoned. */
  maxParseMs: number;
}

export const DEFAULT_HCL_BUDGET: HclBudget = { maxBytes: 1024 * 1024, maxNesting: 64, maxParseMs: 5_000 };

const NESTING: ReadonlySet<string> = new Set(["expression", "block"]);

let parser: Promise<Parser> | undefined;

function loadParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm");
    const language = await Language.load(await readFile(wasm));
    return new Parser().setLanguage(language);
  })();
  return parser;
}

/**
 * Parses `text` within `budget`; the caller frees the tree's WebAssembly memory with delete().
 * Refuses text that is not valid HCL, naming the line and column of the first problem.
 */
export async function parseHcl(text: string, file: string, budget: HclBudget): Promise<Tree> {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > budget.maxBytes) throw new Error(`${file} is ${bytes} bytes, more than the ${budget.maxBytes} bytes an HCL edit reads; split the file`);
  const hcl = await loadParser();
  const deadline = Date.now() + budget.maxParseMs;
  const tree = hcl.parse(text, null, { progressCallback: () => Date.now() > deadline });
  hcl.reset();
  if (!tree) throw new Error(`${file} took longer than ${budget.maxParseMs} ms to parse as HCL; simplify or split the file`);
  try {
    const root = tree.rootNode;
    if (root.hasError) throw new Error(`${file} is not valid HCL at ${lineAndColumn(text, firstError(root).startIndex)}; fix the file first`);
    const deep = mayNestPast(text, budget.maxNesting) ? tooDeep(root, budget.maxNesting) : undefined;
    if (deep !== undefined) throw new Error(`${file} nests deeper than ${budget.maxNesting} levels at ${lineAndColumn(text, deep)}; an HCL edit does not read files nested this deep`);
    return tree;
  } catch (error) {
    tree.delete();
    throw error;
  }
}

export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** The first ERROR or MISSING node, found by following the children that contain an error. */
function firstError(root: Node): Node {
  let node = root;
  for (;;) {
    const next = node.children.find((child) => child.isError || child.isMissing || child.hasError);
    if (!next || next.isError || next.isMissing) return next ?? node;
    node = next;
  }
}

/**
 * Whether walking the tree is needed: every level past the first is opened by a bracket, a brace,
 * a parenthesis or the `?` of a conditional, so text with few of those cannot nest past `limit`.
 */
function mayNestPast(text: string, limit: number): boolean {
  let openers = 0;
  for (const char of text) if ((char === "{" || char === "[" || char === "(" || char === "?") && ++openers >= limit) return true;
  return false;
}

/** The offset where nesting first passes `limit`, walking the tree without recursion. */
function tooDeep(root: Node, limit: number): number | undefined {
  const cursor = root.walk();
  const opened: boolean[] = [];
  let level = 0;
  try {
    for (;;) {
      const opens = NESTING.has(cursor.nodeType);
      if (opens && ++level > limit) return cursor.startIndex;
      opened.push(opens);
      if (cursor.gotoFirstChild()) continue;
      for (;;) {
        if (opened.pop()) level--;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return undefined;
      }
    }
  } finally {
    cursor.delete();
  }
}
