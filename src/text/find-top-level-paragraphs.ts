import {
  ATX_HEADING,
  BLANK,
  BLOCKQUOTE,
  BLOCKS_SETEXT,
  closesFence,
  countCells,
  countDelimiterCells,
  definitionLines,
  fenceOpening,
  fenceStartWithin,
  headingWithin,
  blockquoteWithin,
  htmlBlockStart,
  htmlStartWithin,
  INDENTED_CODE,
  isTableDelimiter,
  LIST_INTERRUPTS_PARAGRAPH,
  LIST_ITEM,
  looksLikeTableDelimiter,
  listItemWithin,
  SETEXT_UNDERLINE,
  THEMATIC_BREAK,
  thematicBreakWithin,
  type Fence,
} from "./markdown-block-starts.js";

/**
 * The paragraphs at the top level of a GitHub Markdown text, each as its lines joined by `\n`:
 * what is not inside a quote, a list, a code block, an HTML block, a table or a heading. Read
 * line by line, each line once (an HTML block's end is searched once, and the scan resumes past
 * it), so the time is linear in the text; the block rules are marked's (GFM), which comments were
 * read with before, where a line is ambiguous.
 */
export function findTopLevelParagraphs(text: string): string[] {
  const lines = text.split("\n");
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; i += 1) {
    offsets.push(at);
    at += (lines[i] as string).length + 1;
  }
  const doc: Doc = { lines, offsets, text, setextEnd: setextEnds(lines) };
  const paragraphs: string[] = [];
  let open: Open = NONE;
  let i = 0;
  while (i < lines.length) {
    const step = open.kind === "none" ? "end" : CONTINUES[open.kind](open as never, doc, i);
    if (step === "continue") {
      i += 1;
      continue;
    }
    if (open.kind === "paragraph") paragraphs.push(open.lines.join("\n"));
    const closed = open.kind;
    open = NONE;
    if (step === "close") {
      i += 1;
      continue;
    }
    const started = startBlock(doc, i, closed === "paragraph");
    open = started.open;
    i = started.next;
  }
  if (open.kind === "paragraph") paragraphs.push(open.lines.join("\n"));
  return paragraphs;
}

interface Doc {
  lines: string[];
  offsets: number[];
  text: string;
  /** For each line, the setext underline that makes it (and the lines down to it) a heading, or -1. */
  setextEnd: number[];
}

/**
 * Where a setext heading that starts at each line would end, in one pass from the bottom: the
 * heading's text runs down to the first `===` / `---` line, across lines that start no block.
 * A block start asks this instead of scanning ahead, so ambiguous text costs no second reading.
 */
function setextEnds(lines: string[]): number[] {
  const ends = new Array<number>(lines.length).fill(-1);
  for (let i = lines.length - 2; i >= 0; i -= 1) {
    const next = lines[i + 1] as string;
    if (SETEXT_UNDERLINE.test(next)) ends[i] = i + 1;
    else if (continuesSetextText(next)) ends[i] = ends[i + 1] as number;
  }
  return ends;
}

/** Three backticks or tildes, whatever follows: no setext heading's text starts or runs across it. */
const FENCE_LIKE = /^ {0,3}(?:`{3,}|~{3,})/;

function continuesSetextText(line: string): boolean {
  return !(BLANK.test(line) || BLOCKS_SETEXT.test(line) || FENCE_LIKE.test(line) || BLOCKQUOTE.test(line) || ATX_HEADING.test(line) || THEMATIC_BREAK.test(line) || htmlBlockStart(line, "interrupt") !== undefined);
}

/** The heading's last line if a setext heading starts at line `i`. */
function setextHeadingAt(doc: Doc, i: number): number | undefined {
  const end = doc.setextEnd[i] as number;
  const line = doc.lines[i] as string;
  return end >= 0 && !BLOCKS_SETEXT.test(line) && !FENCE_LIKE.test(line) ? end : undefined;
}

interface ListItem {
  /** The column the item's content starts at; lines indented this far belong to it. */
  indent: number;
  /** The previous line, relative to the item's content (what a lazy line would continue). */
  lastLine: string;
  firstLine: boolean;
  firstBlank: boolean;
  blankBefore: boolean;
  lazy: boolean;
  /** An empty first line followed by a blank one ends the item at once. */
  ended: boolean;
}

type Open =
  | { kind: "none" }
  | { kind: "paragraph"; lines: string[] }
  | { kind: "fence"; fence: Fence }
  | { kind: "html" }
  | { kind: "quote"; lazy: boolean; fence: Fence | undefined; html: boolean }
  | { kind: "list"; item: ListItem }
  | { kind: "table" };

const NONE: Open = { kind: "none" };

/** `continue`: the line belongs to the open block. `close`: it ends the block and is used up. `end`: the block ended before it. */
type Step = "continue" | "close" | "end";

type Continues = { [K in Exclude<Open["kind"], "none">]: (open: Extract<Open, { kind: K }>, doc: Doc, i: number) => Step };

const CONTINUES: Continues = {
  paragraph(open, doc, i) {
    const line = doc.lines[i] as string;
    const next = doc.lines[i + 1];
    if (BLANK.test(line)) return "close";
    if (interruptsParagraph(line)) return "end";
    if (next !== undefined && looksLikeTableDelimiter(next) && startsOtherBlock(doc, i)) return "end";
    open.lines.push(line);
    return "continue";
  },
  fence: (open, doc, i) => (closesFence(doc.lines[i] as string, open.fence) ? "close" : "continue"),
  html: (_open, doc, i) => (BLANK.test(doc.lines[i] as string) ? "close" : "continue"),
  quote(open, doc, i) {
    const line = doc.lines[i] as string;
    if (BLOCKQUOTE.test(line)) {
      readQuoteLine(open, line);
      return "continue";
    }
    // A line without `>` still continues the quote's paragraph, unless it starts a block.
    const startsBlock = THEMATIC_BREAK.test(line) || ATX_HEADING.test(line) || fenceOpening(line) !== undefined || listItemWithin(line, 3) || htmlBlockStart(line, "interrupt") !== undefined;
    return open.lazy && !BLANK.test(line) && !startsBlock ? "continue" : "end";
  },
  list: (open, doc, i) => continueList(open, doc.lines[i] as string),
  table(_open, doc, i) {
    const line = doc.lines[i] as string;
    if (BLANK.test(line)) return "close";
    const startsBlock =
      THEMATIC_BREAK.test(line) || ATX_HEADING.test(line) || BLOCKQUOTE.test(line) || INDENTED_CODE.test(line) || fenceOpening(line) !== undefined || /^ {0,3}(?:[*+-]|1[.)])[ \t]/.test(line) || htmlBlockStart(line, "interrupt") !== undefined;
    return startsBlock ? "end" : "continue";
  },
};

function interruptsParagraph(line: string): boolean {
  return (
    THEMATIC_BREAK.test(line) ||
    ATX_HEADING.test(line) ||
    BLOCKQUOTE.test(line) ||
    fenceOpening(line) !== undefined ||
    LIST_INTERRUPTS_PARAGRAPH.test(line) ||
    htmlBlockStart(line, "interrupt") !== undefined
  );
}

/**
 * A line over something shaped like a table's delimiter row ends the paragraph, and is read as a
 * block start; marked then folds indented code, a lone HTML tag, a definition or a paragraph back
 * into the paragraph, so only a list, an HTML block, a table or a setext heading ends it.
 */
function startsOtherBlock(doc: Doc, i: number): boolean {
  const line = doc.lines[i] as string;
  const next = doc.lines[i + 1] as string;
  if (INDENTED_CODE.test(line)) return false;
  if ((LIST_ITEM.test(line) && !THEMATIC_BREAK.test(line)) || htmlBlockStart(line, "list") !== undefined) return true;
  if (definitionLines(line, next) > 0) return false;
  return startsTable(line, next) || setextHeadingAt(doc, i) !== undefined;
}

function startsTable(line: string, next: string): boolean {
  return isTableDelimiter(next) && countCells(line) === countDelimiterCells(next);
}

/**
 * Opens the block line `i` starts, and says which line to read next. Right after a paragraph
 * (`afterParagraph`), a lone HTML tag cannot start a block, as in marked.
 */
function startBlock(doc: Doc, i: number, afterParagraph: boolean): { open: Open; next: number } {
  const { lines, offsets, text } = doc;
  const line = lines[i] as string;
  const next = lines[i + 1];
  const leaf = (used = 1) => ({ open: NONE, next: i + used });
  if (BLANK.test(line) || INDENTED_CODE.test(line) || ATX_HEADING.test(line) || THEMATIC_BREAK.test(line)) return leaf();
  const fence = fenceOpening(line);
  if (fence) return { open: { kind: "fence", fence }, next: i + 1 };
  if (BLOCKQUOTE.test(line)) {
    const quote: Open = { kind: "quote", lazy: false, fence: undefined, html: false };
    readQuoteLine(quote, line);
    return { open: quote, next: i + 1 };
  }
  if (LIST_ITEM.test(line)) return { open: { kind: "list", item: openItem(line) }, next: i + 1 };
  const html = htmlBlockStart(line, afterParagraph ? "list" : "block");
  if (html && "blankLine" in html) return { open: { kind: "html" }, next: i + 1 };
  if (html) {
    const indentation = line.length - line.replace(/^ +/, "").length;
    const end = indexOfIgnoringCase(text, html.marker, (offsets[i] as number) + indentation + html.searchFrom);
    if (end < 0) return { open: NONE, next: lines.length };
    let j = i;
    while (j + 1 < lines.length && (offsets[j + 1] as number) <= end + html.marker.length - 1) j += 1;
    return { open: NONE, next: j + 1 };
  }
  const definition = definitionLines(line, next);
  if (definition > 0) return leaf(definition);
  if (next !== undefined && startsTable(line, next)) return { open: { kind: "table" }, next: i + 2 };
  const heading = setextHeadingAt(doc, i);
  if (heading !== undefined) return { open: NONE, next: heading + 1 };
  return { open: { kind: "paragraph", lines: [line] }, next: i + 1 };
}

const QUOTE_MARKERS = /^(?: {0,3}> ?)+/;

/**
 * Follows what a quote holds, for the lazy lines after it: only text that reads as a paragraph
 * (in the quote, or in a quote or list inside it) is continued by a line without `>`; a code
 * block, a heading, a rule or HTML inside the quote ends it there.
 */
function readQuoteLine(quote: Extract<Open, { kind: "quote" }>, line: string): void {
  const content = line.replace(QUOTE_MARKERS, "");
  const wasParagraph = quote.lazy;
  quote.lazy = false;
  if (quote.fence) {
    if (closesFence(content, quote.fence)) quote.fence = undefined;
    return;
  }
  if (BLANK.test(content)) {
    quote.html = false;
    return;
  }
  if (quote.html) return;
  quote.fence = fenceOpening(content);
  if (quote.fence || ATX_HEADING.test(content) || THEMATIC_BREAK.test(content) || (INDENTED_CODE.test(content) && !wasParagraph)) return;
  if (htmlBlockStart(content, wasParagraph ? "interrupt" : "block")) {
    quote.html = true;
    return;
  }
  quote.lazy = true;
}

/** Tabs in a line's leading whitespace as spaces to the next multiple of four, counted from `column`. */
function expandLeading(line: string, column = 0): string {
  const whitespace = /^[ \t]*/.exec(line)?.[0] ?? "";
  let expanded = "";
  let col = column;
  for (const c of whitespace) {
    const width = c === "\t" ? 4 - (col % 4) : 1;
    expanded += " ".repeat(width);
    col += width;
  }
  return expanded + line.slice(whitespace.length);
}

const firstNonSpace = (line: string) => line.length - line.replace(/^ +/, "").length;

function openItem(line: string): ListItem {
  const marker = (LIST_ITEM.exec(line) as RegExpExecArray)[0];
  const first = expandLeading(line.slice(marker.length), marker.length);
  const blank = BLANK.test(first);
  const spaces = firstNonSpace(first);
  // Content indented five or more is a code block inside the item, which then starts one column in.
  const indent = marker.length + (blank ? 1 : spaces > 4 ? 1 : spaces);
  return { indent, lastLine: first, firstLine: true, firstBlank: blank, blankBefore: blank, lazy: false, ended: false };
}

const NESTED_MARKER = /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/;
const NESTED_CONTAINERS = /^(?: {0,3}(?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?))+/;

function continueList(open: Extract<Open, { kind: "list" }>, line: string): Step {
  const item = open.item;
  const k = Math.max(0, Math.min(3, item.indent - 1));
  const newItem = () => {
    open.item = openItem(line);
    return "continue" as const;
  };
  if (item.ended) return LIST_ITEM.test(line) && !THEMATIC_BREAK.test(line) ? newItem() : "end";
  if (fenceStartWithin(line, k) || headingWithin(line, k) || htmlStartWithin(line, k) || blockquoteWithin(line, k) || listItemWithin(line, k) || thematicBreakWithin(line, k)) {
    // Another item (of this list or a new one: either is a list) or a block that ends the list.
    return listItemWithin(line, k) && !THEMATIC_BREAK.test(line) ? newItem() : "end";
  }
  const expanded = expandLeading(line);
  const blank = BLANK.test(line);
  if (item.firstLine && item.firstBlank && blank) {
    item.ended = true;
    return "continue";
  }
  if (blank || firstNonSpace(expanded) >= item.indent) {
    Object.assign(item, { lastLine: expanded.slice(item.indent), blankBefore: blank, firstLine: false, lazy: false });
    return "continue";
  }
  if (item.blankBefore || !continuesLazily(item, k)) return "end";
  Object.assign(item, { lastLine: expanded.slice(item.indent), blankBefore: false, firstLine: false, lazy: true });
  return "continue";
}

/** Whether an under-indented line continues the item's last line as paragraph text. */
function continuesLazily(item: ListItem, k: number): boolean {
  let last = item.lastLine;
  if (item.firstLine && !last.includes("\t")) {
    let marker: RegExpExecArray | null;
    while (!THEMATIC_BREAK.test(last) && (marker = NESTED_MARKER.exec(last)) && marker[0].length > 0) last = last.slice(marker[0].length);
    if (BLANK.test(last)) return false;
  }
  if (firstNonSpace(expandLeading(last)) >= 4) return false;
  if (fenceStartWithin(last, k) || headingWithin(last, k) || htmlStartWithin(last, k) || thematicBreakWithin(last, k)) return false;
  if (!item.lazy) {
    const inner = item.lastLine.replace(NESTED_CONTAINERS, "");
    if (fenceOpening(inner) !== undefined || ATX_HEADING.test(inner) || THEMATIC_BREAK.test(inner)) return false;
  }
  return true;
}

/** `text.indexOf(marker, from)`, ignoring case (markers are ASCII), or -1. */
function indexOfIgnoringCase(text: string, marker: string, from: number): number {
  const first = marker[0] as string;
  for (let at = text.indexOf(first, from); at >= 0; at = text.indexOf(first, at + 1)) {
    if (text.slice(at, at + marker.length).toLowerCase() === marker) return at;
  }
  return -1;
}
