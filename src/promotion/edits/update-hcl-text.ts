import type { Node } from "web-tree-sitter";
import { DEFAULT_HCL_BUDGET, lineAndColumn, parseHcl, type HclBudget } from "./parse-hcl.js";
import { formatHclKeyPath, parseHclKeyPath, type HclKeyStep } from "./parse-hcl-key-path.js";
import { attributeValue, blockLabels, blockTitle, bodyItems, describe, heredocOf, isLiteral, nameOf, objectElements, objectKey, unwrap } from "./read-hcl-nodes.js";
import { escapeTemplateMarkers, isHclIdentifier, renderHclValue, renderObjectKey } from "./render-hcl-value.js";

export interface HclUpdate {
  /** A path as parse-hcl-key-path.ts reads it: `locals.image_tag`, `tags.version`, `subnets[1]`. */
  key: string;
  value: unknown;
  /** Add the key when the file lacks it: as an attribute of a body or a key of an object, never as a block. */
  add?: boolean;
  /** Overwrite a value that is not a literal (a reference, a function call, an interpolated string). */
  replaceExpression?: boolean;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Sets values in `.tf` and `.tfvars` text by splicing only the targeted value, so every other byte
 * stays: comments, the alignment of `=`, ordering, blank lines, heredocs. A path walks attributes
 * and object keys by name, list items by `[n]`, and blocks by their type followed by each of their
 * labels (`variable.image_tag.default`, `resource.aws_lambda_function.fn.image_uri`); repeated
 * blocks such as `locals` are all searched. Refuses a missing key unless `add` is set, and refuses
 * to overwrite an expression unless `replaceExpression` is set. Each edit is parsed again before
 * the next, so a change that would leave the file unreadable is refused rather than written.
 */
export async function updateHclText(text: string, updates: HclUpdate[], file = "the file", budget: HclBudget = DEFAULT_HCL_BUDGET): Promise<string> {
  let out = text;
  let tree = await parseHcl(out, file, budget);
  try {
    for (const update of updates) {
      const steps = withFile(file, () => parseHclKeyPath(update.key));
      const edit = new KeySearch(out, file, steps, update).edit(tree.rootNode);
      const next = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      const reparsed = await parseHcl(next, file, budget).catch((error: unknown) => {
        throw new Error(`${file}: setting "${update.key}" would leave the file unreadable, so it was not changed (${(error as Error).message})`);
      });
      tree.delete();
      tree = reparsed;
      out = next;
    }
  } finally {
    tree.delete();
  }
  return out;
}

interface Gap {
  container: Node;
  at: number;
  /** Blocks of this type exist, but none has the labels the path names. */
  blockTypeOnly: boolean;
}

class KeySearch {
  private readonly found: Node[] = [];
  private readonly gaps: Gap[] = [];
  private readonly problems: string[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly steps: HclKeyStep[],
    private readonly update: HclUpdate,
  ) {}

  edit(root: Node): Edit {
    if (root.namedChildren.some((child) => child.type === "object")) {
      throw new Error(`${this.file} is a JSON object, not an HCL body; edit .tfvars.json files with the JSON variant`);
    }
    this.inBody(root, 0);
    const [first, second] = this.found;
    if (first && second) {
      const lines = this.found.map((node) => this.where(node)).join(", ");
      throw new Error(`${this.file}: "${this.update.key}" is set ${this.found.length} times (${lines}); remove the duplicates`);
    }
    if (first) return this.replace(first);
    if (this.problems[0]) throw new Error(`${this.file}: ${this.problems[0]}`);
    const gap = this.gaps.reduce<Gap | undefined>((best, next) => (best === undefined || next.at > best.at ? next : best), undefined);
    if (!gap) throw new Error(`${this.file}: "${this.update.key}" not found`);
    if (!this.update.add) throw new Error(`${this.file}: "${this.update.key}" not found: ${this.describeGap(gap)}; check the key, or pass add: true to add it`);
    return this.insert(gap);
  }

  private inBody(owner: Node, at: number): void {
    const step = this.steps[at] as HclKeyStep;
    if (step.kind === "index") {
      this.problems.push(`"${this.pathTo(at)}": [${step.index}] is a list index, but ${this.describeOwner(owner)} holds attributes and blocks`);
      return;
    }
    let matched = false;
    let blockTypeOnly = false;
    for (const item of bodyItems(owner)) {
      if (item.type === "attribute" && nameOf(item) === step.name) {
        matched = true;
        this.arrive(attributeValue(item), at);
      } else if (item.type === "block" && nameOf(item) === step.name) {
        const labels = blockLabels(item);
        const named = labels.every((label, k) => {
          const next = this.steps[at + 1 + k];
          return next?.kind === "name" && next.name === label;
        });
        if (!named) {
          blockTypeOnly = true;
          continue;
        }
        matched = true;
        const inside = at + 1 + labels.length;
        if (inside >= this.steps.length) this.problems.push(`"${this.update.key}" names the ${blockTitle(item)} block at ${this.where(item)}; name an attribute inside it`);
        else this.inBody(item, inside);
      }
    }
    if (!matched) this.gaps.push({ container: owner, at, blockTypeOnly });
  }

  private inValue(expression: Node, at: number): void {
    const value = unwrap(expression);
    const step = this.steps[at] as HclKeyStep;
    if (step.kind === "index") {
      if (value.type !== "tuple") {
        this.problems.push(`"${this.pathTo(at - 1)}" is ${describe(value)} at ${this.where(value)}, not a list, so "${this.pathTo(at)}" cannot be set`);
        return;
      }
      const items = value.namedChildren.filter((child) => child.type === "expression");
      const item = items[step.index];
      if (item) this.arrive(item, at);
      else this.problems.push(`"${this.pathTo(at - 1)}" has ${items.length} items, so there is no [${step.index}] (an edit does not lengthen lists)`);
      return;
    }
    if (value.type !== "object") {
      this.problems.push(`"${this.pathTo(at - 1)}" is ${describe(value)} at ${this.where(value)}, not an object, so "${this.pathTo(at)}" cannot be set`);
      return;
    }
    const elements = objectElements(value).filter((element) => objectKey(element) === step.name);
    if (elements.length === 0) this.gaps.push({ container: value, at, blockTypeOnly: false });
    for (const element of elements) this.arrive(element.childForFieldName("val") as Node, at);
  }

  private arrive(expression: Node, at: number): void {
    if (at === this.steps.length - 1) this.found.push(expression);
    else this.inValue(expression, at + 1);
  }

  private replace(target: Node): Edit {
    if (!this.update.replaceExpression && !isLiteral(target)) {
      throw new Error(
        `${this.file}: "${this.update.key}" at ${this.where(target)} is ${describe(unwrap(target))}, not a literal value; ` +
          `replacing it would drop the expression, so pass replaceExpression: true if that is what you want`,
      );
    }
    const heredoc = heredocOf(target);
    const rendered = heredoc && typeof this.update.value === "string" ? this.renderHeredoc(heredoc, this.update.value) : undefined;
    return { start: target.startIndex, end: target.endIndex, text: rendered ?? renderHclValue(this.update.value, this.update.key) };
  }

  /** The same heredoc form for a multi-line string; undefined when only a quoted string can carry the value exactly. */
  private renderHeredoc(heredoc: Node, value: string): string | undefined {
    const introducer = heredoc.child(0)?.text ?? "<<";
    const [open, close] = heredoc.namedChildren.filter((child) => child.type === "heredoc_identifier");
    if (!open || !close || !value.endsWith("\n") || value.includes("\r")) return undefined;
    const marker = open.text;
    const lines = value.slice(0, -1).split("\n");
    if (lines.some((line) => line.trim() === marker)) return undefined;
    const closeIndent = leadingSpace(this.text, lineStart(this.text, close.startIndex));
    let indent = "";
    if (introducer === "<<-") {
      // A flush heredoc loses the smallest indentation of its non-blank lines: keep one line flush, and no whitespace-only lines.
      const nonBlank = lines.filter((line) => line !== "");
      if (nonBlank.some((line) => line.trim() === "") || !nonBlank.some((line) => !/^\s/.test(line))) return undefined;
      indent = this.heredocIndent(open, close) ?? `${closeIndent}  `;
    }
    const body = lines.map((line) => (line === "" ? "" : indent + escapeTemplateMarkers(line))).join("\n");
    return `${introducer}${marker}\n${body}\n${closeIndent}${marker}`;
  }

  private heredocIndent(open: Node, close: Node): string | undefined {
    const content = this.text.slice(lineEnd(this.text, open.endIndex), lineStart(this.text, close.startIndex));
    const indents = content.split("\n").filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)?.[0] ?? "");
    return indents.sort((a, b) => a.length - b.length)[0];
  }

  private insert(gap: Gap): Edit {
    const missing = this.steps.slice(gap.at);
    const name = this.steps[gap.at] as HclKeyStep & { kind: "name" };
    if (gap.blockTypeOnly) {
      throw new Error(`${this.file}: no ${name.name} block has the labels "${this.update.key}" names; add: true adds attributes, not blocks, so write the block first`);
    }
    if (missing.some((step) => step.kind === "index")) {
      throw new Error(`${this.file}: cannot add "${this.update.key}": an edit does not add list items; set the whole list instead`);
    }
    const names = missing.map((step) => (step as { name: string }).name);
    if (gap.container.type === "object") {
      const nested = names.slice(1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), this.update.value);
      return this.insertInObject(gap.container, renderObjectKey(name.name), renderHclValue(nested, this.update.key));
    }
    if (names.length > 1) {
      throw new Error(`${this.file}: cannot add "${this.update.key}": "${name.name}" does not exist in ${this.describeOwner(gap.container)}, and add: true creates only the last key of a path there; add "${name.name}" first`);
    }
    if (!isHclIdentifier(name.name)) {
      throw new Error(`${this.file}: cannot add "${this.update.key}": "${name.name}" is not a valid attribute name (letters, digits, _ and -, not starting with a digit)`);
    }
    return this.insertInBody(gap.container, name.name, renderHclValue(this.update.value, this.update.key));
  }

  private insertInBody(owner: Node, name: string, value: string): Edit {
    const items = bodyItems(owner);
    const last = items.at(-1);
    if (owner.type !== "block") {
      const end = this.text.length;
      const ended = this.text === "" || this.text.endsWith("\n") ? "" : "\n";
      const adjacent = last?.type === "attribute" && this.text.slice(lineEnd(this.text, last.endIndex)) === "";
      const gap = last?.type === "block" && !/\n\s*\n$/.test(this.text + ended) ? "\n" : "";
      return { start: end, end, text: `${ended}${gap}${attributeLine(name, value, adjacent ? last : undefined)}\n` };
    }
    const open = owner.namedChildren.find((child) => child.type === "block_start") as Node;
    const close = owner.namedChildren.find((child) => child.type === "block_end") as Node;
    const closeLine = lineStart(this.text, close.startIndex);
    if (open.startPosition.row === close.startPosition.row || this.text.slice(closeLine, close.startIndex).trim() !== "") {
      throw new Error(`${this.file}: the ${blockTitle(owner)} block at ${this.where(owner)} closes on a line with other text; put its "}" on a line of its own before adding "${this.update.key}"`);
    }
    const indent = last ? leadingSpace(this.text, lineStart(this.text, last.startIndex)) : `${leadingSpace(this.text, closeLine)}  `;
    const adjacent = last?.type === "attribute" && last.endPosition.row === close.startPosition.row - 1;
    return { start: closeLine, end: closeLine, text: `${indent}${attributeLine(name, value, adjacent ? last : undefined)}\n` };
  }

  private insertInObject(object: Node, key: string, value: string): Edit {
    const open = object.child(0) as Node;
    const close = object.child(object.childCount - 1) as Node;
    const last = objectElements(object).at(-1);
    const comma = last?.nextSibling?.type === "," ? last.nextSibling : undefined;
    if (open.startPosition.row === close.startPosition.row) {
      if (!last) return { start: open.endIndex, end: close.startIndex, text: ` ${key} = ${value} ` };
      if (comma) return { start: comma.endIndex, end: comma.endIndex, text: ` ${key} = ${value},` };
      return { start: last.endIndex, end: last.endIndex, text: `, ${key} = ${value}` };
    }
    const closeLine = lineStart(this.text, close.startIndex);
    const braceAlone = this.text.slice(closeLine, close.startIndex).trim() === "";
    const indent = last ? leadingSpace(this.text, lineStart(this.text, last.startIndex)) : `${leadingSpace(this.text, closeLine)}  `;
    const adjacent = braceAlone && last !== undefined && last.endPosition.row === close.startPosition.row - 1;
    const line = `${indent}${attributeLine(key, value, adjacent ? last : undefined)}${comma ? "," : ""}`;
    if (braceAlone) return { start: closeLine, end: closeLine, text: `${line}\n` };
    return { start: close.startIndex, end: close.startIndex, text: `\n${line}\n${leadingSpace(this.text, closeLine)}` };
  }

  private describeGap(gap: Gap): string {
    const name = (this.steps[gap.at] as { name: string }).name;
    if (gap.blockTypeOnly) return `no ${name} block has the labels the key names`;
    if (gap.container.type === "object") return `"${this.pathTo(gap.at - 1)}" at ${this.where(gap.container)} has no key "${name}"`;
    return `${this.describeOwner(gap.container)} has no "${name}"`;
  }

  private describeOwner(owner: Node): string {
    return owner.type === "block" ? `the ${blockTitle(owner)} block at ${this.where(owner)}` : "the top level of the file";
  }

  private pathTo(at: number): string {
    return formatHclKeyPath(this.steps.slice(0, at + 1));
  }

  private where(node: Node): string {
    return lineAndColumn(this.text, node.startIndex);
  }
}

/** `name = value` with the `=` (or `:`) where the attribute above has it, as `terraform fmt` aligns a run of lines. */
function attributeLine(name: string, value: string, above: Node | undefined): string {
  const operator = above?.child(1);
  if (!above || !operator) return `${name} = ${value}`;
  const width = operator.startIndex - above.startIndex;
  return `${name.padEnd(width - 1)} ${operator.text} ${value}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end + 1;
}

function leadingSpace(text: string, from: number): string {
  return /^[ \t]*/.exec(text.slice(from, from + 200))?.[0] ?? "";
}

function withFile<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
