/**
 * How a line of GitHub Markdown opens a block, in the terms of marked (the GFM lexer comments
 * were read with before): each pattern looks at one line only and runs in linear time.
 * `k` in the indented forms is how many spaces may come before the marker (list items nest
 * deeper content, so inside them it is less than three).
 */

export const BLANK = /^[ \t]*$/;
/** Indented code: four spaces or a tab in, on a line that is not blank. */
export const INDENTED_CODE = /^(?: {4}| {0,3}\t)[ \t]*[^ \t]/;
export const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
export const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;
export const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
export const BLOCKQUOTE = /^ {0,3}>/;
/** A list item: its leading spaces and marker, then a space or the end of the line. */
export const LIST_ITEM = /^( {0,3})([*+-]|\d{1,9}[.)])(?=[ \t]|$)/;
/** Only a non-empty bullet item, or one numbered 1, interrupts a paragraph. */
export const LIST_INTERRUPTS_PARAGRAPH = /^ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t]/;
/** What a setext heading's text may not hold: a bullet and a space (any number), or a line shaped like a table's delimiter row. */
export const BLOCKS_SETEXT = /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)]) |\|?(?:[:\- ]*\|)+[:\- ]*$)/;
/** A code fence: backticks (whose info string holds none) or tildes, at least three. */
const FENCE = /^( {0,3})(`{3,}(?=[^`]*$)|~{3,})/;
const TABLE_DELIMITER = /^ {0,3}(?:\| *)?:?-+:? *(?:\| *:?-+:? *)*(?:\| *)?$/;

export interface Fence {
  char: string;
  length: number;
}

export function fenceOpening(line: string): Fence | undefined {
  const match = FENCE.exec(line);
  if (!match) return undefined;
  const run = match[2] as string;
  return { char: run[0] as string, length: run.length };
}

/** The line that closes `fence`: the same character, at least as many, nothing but spaces after. */
export function closesFence(line: string, fence: Fence): boolean {
  const indent = /^ {0,3}/.exec(line)?.[0].length ?? 0;
  let i = indent;
  while (line[i] === fence.char) i += 1;
  return i - indent >= fence.length && /^ *$/.test(line.slice(i));
}

const leadingSpaces = (line: string) => line.length - line.replace(/^ +/, "").length;
/** `^ {0,k}` then `rest`, without building a pattern per `k`. */
const within = (line: string, k: number, rest: RegExp) => {
  const spaces = leadingSpaces(line);
  return spaces <= k && rest.test(line.slice(spaces));
};

/** Block starts at most `k` spaces in, for the lines that end a list item. */
export const fenceStartWithin = (line: string, k: number) => within(line, k, /^(?:```|~~~)/);
export const headingWithin = (line: string, k: number) => within(line, k, /^#{1,6}(?:\s|$)/);
export const blockquoteWithin = (line: string, k: number) => within(line, k, /^>/);
export const listItemWithin = (line: string, k: number) => within(line, k, /^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/);
export const thematicBreakWithin = (line: string, k: number) => within(line, k, /^(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/);
export const htmlStartWithin = (line: string, k: number) => leadingSpaces(line) <= k && htmlBlockStart(line.replace(/^ +/, ""), "list") !== undefined;

/**
 * Shaped like a table's delimiter row (`|---|:--:|`, or just `---`). That is enough to end a
 * paragraph before the line above it (which then may still be a setext heading's text); a table
 * itself needs a pipe or a colon in the row.
 */
export function looksLikeTableDelimiter(line: string): boolean {
  return TABLE_DELIMITER.test(line);
}

export function isTableDelimiter(line: string): boolean {
  return TABLE_DELIMITER.test(line) && /[:|]/.test(line);
}

/** Cells of a table row, as marked counts them: unescaped pipes, an empty first or last cell dropped. */
export function countCells(row: string): number {
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i += 1) {
    const c = row[i] as string;
    if (c === "\\" && row[i + 1] === "|") {
      cell += "\\|";
      i += 1;
    } else if (c === "|") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  if (cells.length > 0 && (cells[0] as string).trim() === "") cells.shift();
  if (cells.length > 0 && (cells.at(-1) as string).trim() === "") cells.pop();
  return cells.length;
}

/** The delimiter row's columns, counted as marked does (outer pipes removed, then split). */
export function countDelimiterCells(row: string): number {
  return row.trim().replace(/^\||\| *$/g, "").split("|").length;
}

/**
 * How an HTML block ends: at the first `marker` (searched in the lowercased text from `searchFrom`
 * characters after the line's indentation), or at the next blank line. One search per block, and
 * the scan resumes past what it found, so the whole comment is read once.
 */
export type HtmlBlockEnd = { marker: string; searchFrom: number } | { blankLine: true };

/**
 * HTML blocks by CommonMark's seven kinds. Kinds 1–5 end at a marker, 6 and 7 at a blank line;
 * kind 7 (a complete tag alone on its line) cannot interrupt a paragraph.
 */
const HTML_BLOCKS: ReadonlyArray<{ start: RegExp; end: (match: RegExpExecArray) => HtmlBlockEnd; interruptsParagraph: boolean; lone?: true }> = [
  { start: /^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)/i, end: (m) => ({ marker: `</${(m[1] as string).toLowerCase()}>`, searchFrom: 1 }), interruptsParagraph: true },
  // From the comment's second character, so that `<!-->` and `<!--->` end where they start.
  { start: /^ {0,3}<!--/, end: () => ({ marker: "-->", searchFrom: 2 }), interruptsParagraph: true },
  { start: /^ {0,3}<\?/, end: () => ({ marker: "?>", searchFrom: 2 }), interruptsParagraph: true },
  { start: /^ {0,3}<![A-Za-z]/, end: () => ({ marker: ">", searchFrom: 2 }), interruptsParagraph: true },
  { start: /^ {0,3}<!\[CDATA\[/, end: () => ({ marker: "]]>", searchFrom: 9 }), interruptsParagraph: true },
  // Block-level tag names, CommonMark's list as marked has it.
  {
    start:
      /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t]|\/?>|$)/i,
    end: () => ({ blankLine: true }),
    interruptsParagraph: true,
  },
  { start: /^ {0,3}</, end: () => ({ blankLine: true }), interruptsParagraph: false, lone: true },
];

/**
 * Where an HTML block start is looked for: at a block start (every kind, any case); over a
 * paragraph, a quote's or a table's text (kinds 1–6, and marked matches their tag names in
 * lowercase only there); at the end of a list item (kinds 1–6, any case).
 */
export type HtmlContext = "block" | "interrupt" | "list";

/** The HTML block `line` opens in `context`, if any. */
export function htmlBlockStart(line: string, context: HtmlContext): HtmlBlockEnd | undefined {
  for (const block of HTML_BLOCKS) {
    if (context !== "block" && !block.interruptsParagraph) continue;
    const match = block.start.exec(line);
    if (!match || (block.lone && !isLoneTag(line))) continue;
    if (context === "interrupt" && /[A-Z]/.test(match[0].replace(/<!(?:\[CDATA\[|[A-Za-z])/, ""))) continue;
    return block.end(match);
  }
  return undefined;
}

const TAG_NAME = /<([A-Za-z][A-Za-z0-9-]*)/y;
const SPACES = /[ \t]*/y;
const ATTRIBUTE = /[A-Za-z:_][\w.:-]*(?:[ \t]*=[ \t]*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/y;

/** HTML block kind 7: one complete open or closing tag (not script/pre/style/textarea) and nothing else on the line. */
function isLoneTag(line: string): boolean {
  const text = line.replace(/^ {0,3}/, "");
  if (/^<\/[A-Za-z][A-Za-z0-9-]*\s*>[ \t]*$/.test(text)) return true;
  TAG_NAME.lastIndex = 0;
  const name = TAG_NAME.exec(text);
  if (!name || /^(?:script|pre|style|textarea)$/i.test(name[1] as string)) return false;
  // Attributes, each after a space, read with sticky patterns: no backtracking, no copies of the line.
  let i = TAG_NAME.lastIndex;
  for (;;) {
    SPACES.lastIndex = i;
    const spaces = (SPACES.exec(text)?.[0] ?? "").length;
    ATTRIBUTE.lastIndex = i + spaces;
    const attribute = spaces > 0 ? ATTRIBUTE.exec(text) : null;
    if (!attribute) {
      i += spaces;
      break;
    }
    i = ATTRIBUTE.lastIndex;
  }
  return /^\/?>[ \t]*$/.test(text.slice(i));
}

/** A link reference definition (`[label]: destination "title"`), with its destination on the next line when this one has none. */
export function definitionLines(line: string, next: string | undefined): number {
  const label = /^ {0,3}\[(?!\s*\])(?:\\.|[^[\]\\])+\]: */.exec(line);
  if (!label) return 0;
  const rest = line.slice(label[0].length);
  const DESTINATION = /^(?:[^<\s]\S*|<(?:\\.|[^\n<>\\])*>)(?: +(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))? *$/;
  if (rest !== "") return DESTINATION.test(rest) ? 1 : 0;
  return next !== undefined && DESTINATION.test(next.replace(/^[ \t]*/, "")) ? 2 : 0;
}
