import { applyEdits, createScanner, findNodeAtLocation, modify, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { DEFAULT_HCL_BUDGET, lineAndColumn, type HclBudget } from "./parse-hcl.js";
import { formatHclKeyPath, parseHclKeyPath, type HclKeyStep } from "./parse-hcl-key-path.js";
import { renderHclValue } from "./render-hcl-value.js";
import type { HclUpdate } from "./update-hcl-text.js";

/**
 * Sets values in `.tfvars.json` text with the same key paths and rules as updateHclText (missing
 * keys need `add`; list items are never added). update-json-text.ts re-serialises the whole file;
 * this splices the change in with jsonc-parser, so other bytes stay, except that adding a key to an
 * object written on one line spreads that object over lines. Indentation follows the file.
 */
export function updateTfvarsJsonText(text: string, updates: HclUpdate[], file = "the file", budget: HclBudget = DEFAULT_HCL_BUDGET): string {
  let out = text;
  for (const update of updates) out = applyOne(out, update, file, budget);
  return out;
}

function applyOne(text: string, update: HclUpdate, file: string, budget: HclBudget): string {
  const root = parseStrictJson(text, file, budget);
  let steps: HclKeyStep[];
  try {
    steps = parseHclKeyPath(update.key);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  // Rendering checks the value is one Terraform can hold (finite numbers, plain objects, bounded depth).
  renderHclValue(update.value, update.key);
  const path = steps.map((step) => (step.kind === "index" ? step.index : step.name));
  let node: Node = root;
  for (let at = 0; at < steps.length; at++) {
    const step = steps[at] as HclKeyStep;
    const shown = formatHclKeyPath(steps.slice(0, at + 1));
    const parent = formatHclKeyPath(steps.slice(0, at)) || "the file";
    if (step.kind === "index") {
      if (node.type !== "array") throw new Error(`${file}: "${parent}" is ${describe(node)}, not a list, so "${shown}" cannot be set`);
      const item = node.children?.[step.index];
      if (!item) throw new Error(`${file}: "${parent}" has ${node.children?.length ?? 0} items, so there is no [${step.index}] (an edit does not lengthen lists)`);
      node = item;
      continue;
    }
    if (node.type !== "object") throw new Error(`${file}: "${parent}" is ${describe(node)}, not an object, so "${shown}" cannot be set`);
    const child = findNodeAtLocation(node, [step.name]);
    if (child) {
      node = child;
      continue;
    }
    if (!update.add) throw new Error(`${file}: "${update.key}" not found: ${parent === "the file" ? "the file" : `"${parent}" at ${lineAndColumn(text, node.offset)}`} has no key "${step.name}"; check the key, or pass add: true to add it`);
    const missing = steps.slice(at);
    if (missing.some((s) => s.kind === "index")) throw new Error(`${file}: cannot add "${update.key}": an edit does not add list items; set the whole list instead`);
    const nested = missing.slice(1).reduceRight<unknown>((inner, s) => ({ [(s as { name: string }).name]: inner }), update.value);
    return edit(text, path.slice(0, at + 1), nested);
  }
  return edit(text, path, update.value);
}

function edit(text: string, path: (string | number)[], value: unknown): string {
  const indent = /^([ \t]+)["{[\]}]/m.exec(text)?.[1] ?? "  ";
  const formattingOptions = { insertSpaces: !indent.startsWith("\t"), tabSize: indent.startsWith("\t") ? 1 : indent.length, eol: text.includes("\r\n") ? "\r\n" : "\n" };
  return applyEdits(text, modify(text, path, value, { formattingOptions }));
}

function parseStrictJson(text: string, file: string, budget: HclBudget): Node {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > budget.maxBytes) throw new Error(`${file} is ${bytes} bytes, more than the ${budget.maxBytes} bytes an edit reads; split the file`);
  const deep = tooDeep(text, budget.maxNesting);
  if (deep !== undefined) throw new Error(`${file} nests deeper than ${budget.maxNesting} levels at ${lineAndColumn(text, deep)}; an edit does not read files nested this deep`);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const [first] = errors;
  if (first || !root) {
    const where = first ? ` at ${lineAndColumn(text, first.offset)} (${printParseErrorCode(first.error)})` : "";
    throw new Error(`${file} is not valid JSON${where}; fix the file first`);
  }
  if (root.type !== "object") throw new Error(`${file} holds ${describe(root)}; a .tfvars.json file is one object of variable names`);
  return root;
}

/** Where bracket nesting first passes `limit`, read with the scanner so the recursive parser never sees it. */
function tooDeep(text: string, limit: number): number | undefined {
  const scanner = createScanner(text, true);
  let level = 0;
  // Only bracket tokens start with a bracket (a string token starts with its quote); the end token is empty.
  for (scanner.scan(); scanner.getTokenLength() > 0; scanner.scan()) {
    const first = text[scanner.getTokenOffset()];
    if (first === "{" || first === "[") {
      if (++level > limit) return scanner.getTokenOffset();
    } else if (first === "}" || first === "]") level--;
  }
  return undefined;
}

function describe(node: Node): string {
  return { object: "an object", array: "a list", property: "a property", string: "a string", number: "a number", boolean: "a boolean", null: "null" }[node.type];
}
