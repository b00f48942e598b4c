import { ExpressionError } from "../expression-error.js";
import { MAX_EXPRESSION_LENGTH } from "./budgets.js";

export type TokenKind = "number" | "string" | "identifier" | "operator" | "bracket" | "pointer" | "eof";

export interface Token {
  kind: TokenKind;
  /** Operators and brackets: their text; numbers: the literal as written; strings: the decoded value; pointers: the name after `#`. */
  value: string;
  /** Where the token starts in the template. */
  offset: number;
}

/** Words that are operators, not names (expr-lang's lexer reads them the same way). */
const KEYWORD_OPERATORS: ReadonlySet<string> = new Set(["not", "in", "or", "and", "matches", "contains", "startsWith", "endsWith", "let", "if", "else"]);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

const IDENTIFIER_START = /[\p{L}_$]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nd}_$]/u;
const SPACE = /\s/;

// ASCII first: expressions are almost all ASCII, and the Unicode classes are slow per character.
function isSpace(ch: string): boolean {
  return ch === " " || ch === "\n" || ch === "\t" || ch === "\r" || (ch > "\x7f" && SPACE.test(ch));
}

function isIdentifierStart(source: string, i: number): boolean {
  const ch = source[i] as string;
  if ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || ch === "_" || ch === "$") return true;
  return ch > "\x7f" && IDENTIFIER_START.test(codePointText(source, i));
}

function isIdentifierPart(source: string, i: number): boolean {
  const ch = source[i] as string;
  if ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9") || ch === "_" || ch === "$") return true;
  return ch > "\x7f" && IDENTIFIER_PART.test(codePointText(source, i));
}

/** The length of the identifier starting at `i` (0 when none starts there). */
function identifierEnd(source: string, i: number): number {
  let end = i;
  while (end < source.length && isIdentifierPart(source, end)) end += codePointText(source, end).length;
  return end;
}

/**
 * Splits one expression into tokens, following expr-lang's lexer: `//` and `/* *\/` comments,
 * integers in decimal, hex (`0x`), octal (`0o`) and binary (`0b`) with `_` separators, floats
 * (`.5`, `1e3`), single- and double-quoted strings with Go's escapes, backtick raw strings.
 * `base` is where `source` starts in the template, so every offset points into the template.
 */
export function lexExpression(source: string, base: number): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the expression is ${source.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}: move large values into vars`, base);
  }
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, at: number): never => {
    throw new ExpressionError(message, base + at);
  };
  const push = (kind: TokenKind, value: string, start: number) => tokens.push({ kind, value, offset: base + start });

  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    const start = i;
    if (isSpace(ch)) {
      i++;
    } else if (ch === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      i = end === -1 ? source.length : end + 1;
    } else if (ch === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end === -1) fail("unclosed comment: end it with */", start);
      i = end + 2;
    } else if (ch === "'" || ch === '"') {
      const { value, end } = scanQuoted(source, i, fail);
      push("string", value, start);
      i = end;
    } else if (ch === "`") {
      const { value, end } = scanRaw(source, i, fail);
      push("string", value, start);
      i = end;
    } else if ((ch === "b" || ch === "B") && (next === "'" || next === '"')) {
      fail("bytes literals (b\"…\") are not supported: use a string", start);
    } else if (isDigit(ch) || (ch === "." && next !== undefined && isDigit(next))) {
      i = scanNumber(source, i, fail);
      push("number", source.slice(start, i), start);
    } else if (ch === "#") {
      i = identifierEnd(source, i + 1);
      push("pointer", source.slice(start + 1, i), start);
    } else if (isIdentifierStart(source, i)) {
      i = identifierEnd(source, i);
      const word = source.slice(start, i);
      push(KEYWORD_OPERATORS.has(word) ? "operator" : "identifier", word, start);
    } else if ("([{".includes(ch) || ")]}".includes(ch)) {
      push("bracket", ch, start);
      i++;
    } else {
      const operator = readOperator(source, i);
      if (operator === undefined) fail(`unrecognized character "${codePointText(source, i)}"`, start);
      push("operator", operator as string, start);
      i += (operator as string).length;
    }
  }
  tokens.push({ kind: "eof", value: "", offset: base + source.length });
  return tokens;
}

function readOperator(source: string, i: number): string | undefined {
  const ch = source[i] as string;
  const next = source[i + 1];
  if (ch === "|") return next === "|" ? "||" : "|";
  if (ch === ":") return next === ":" ? "::" : ":";
  if (ch === "?") return next === "." || next === "?" ? `?${next}` : "?";
  if (ch === ".") return next === "." ? ".." : ".";
  if (",;%+-^/".includes(ch)) return ch;
  if ("&!=*<>".includes(ch)) return next !== undefined && "&=*".includes(next) ? ch + next : ch;
  return undefined;
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

function codePointText(source: string, i: number): string {
  return String.fromCodePoint(source.codePointAt(i) as number);
}

function scanNumber(source: string, start: number, fail: (message: string, at: number) => never): number {
  let i = start;
  let digits = /[0-9_]/;
  if (source[i] === "0") {
    i++;
    const prefix = source[i]?.toLowerCase();
    if (prefix === "x") digits = /[0-9a-fA-F_]/;
    else if (prefix === "o") digits = /[0-7_]/;
    else if (prefix === "b") digits = /[01_]/;
    if (prefix === "x" || prefix === "o" || prefix === "b") i++;
  }
  while (i < source.length && digits.test(source[i] as string)) i++;
  // `1..3` is a range: the first dot belongs to the operator, not to the number.
  if (source[i] === "." && source[i + 1] !== ".") {
    i++;
    while (i < source.length && digits.test(source[i] as string)) i++;
  }
  if (source[i] === "e" || source[i] === "E") {
    i++;
    if (source[i] === "+" || source[i] === "-") i++;
    while (i < source.length && digits.test(source[i] as string)) i++;
  }
  if (i < source.length && isIdentifierPart(source, i)) {
    fail(`bad number syntax: "${source.slice(start, i + 1)}"`, start);
  }
  return i;
}

function scanQuoted(source: string, start: number, fail: (message: string, at: number) => never): { value: string; end: number } {
  const quote = source[start] as string;
  let out = "";
  let i = start + 1;
  for (;;) {
    if (i >= source.length || source[i] === "\n") fail(`string not terminated: close it with ${quote}`, start);
    const ch = source[i] as string;
    if (ch === quote) return { value: out, end: i + 1 };
    if (ch !== "\\") {
      // expr-lang normalises newlines inside strings; a lone CR reads as LF.
      out += ch === "\r" ? "\n" : ch;
      i++;
      continue;
    }
    const kind = source[i + 1];
    if (kind === undefined) fail(`string not terminated: close it with ${quote}`, start);
    const simple = SIMPLE_ESCAPES[kind as string];
    if (simple !== undefined || kind === quote) {
      out += simple ?? quote;
      i += 2;
      continue;
    }
    const escape = readNumericEscape(source, i);
    if (escape === undefined) fail(`invalid escape "\\${kind as string}" in a string: write \\\\ for a backslash`, i);
    out += (escape as { text: string }).text;
    i = (escape as { end: number }).end;
  }
}

/** `\NNN` (octal), `\xNN`, `\uNNNN`, `\u{N…}` and `\UNNNNNNNN`, as Go reads them. */
function readNumericEscape(source: string, at: number): { text: string; end: number } | undefined {
  const kind = source[at + 1] as string;
  const digitsOf = (count: number, pattern: RegExp, from: number): string | undefined => {
    const text = source.slice(from, from + count);
    return text.length === count && pattern.test(text) ? text : undefined;
  };
  if (kind >= "0" && kind <= "7") {
    const octal = digitsOf(3, /^[0-7]{3}$/, at + 1);
    return octal && parseInt(octal, 8) <= 255 ? codePoint(parseInt(octal, 8), at + 4) : undefined;
  }
  const hex = (count: number): { text: string; end: number } | undefined => {
    const digits = digitsOf(count, /^[0-9a-fA-F]+$/, at + 2);
    return digits === undefined ? undefined : codePoint(parseInt(digits, 16), at + 2 + count);
  };
  if (kind === "x") return hex(2);
  if (kind === "U") return hex(8);
  if (kind === "u" && source[at + 2] === "{") {
    const close = source.indexOf("}", at + 3);
    const text = close === -1 ? "" : source.slice(at + 3, close);
    if (!/^[0-9a-fA-F]{1,6}$/.test(text)) return undefined;
    return codePoint(parseInt(text, 16), close + 1);
  }
  if (kind === "u") return hex(4);
  return undefined;
}

function codePoint(value: number, end: number): { text: string; end: number } | undefined {
  if (value > 0x10ffff) return undefined;
  // Go encodes a surrogate half as the replacement character.
  const text = value >= 0xd800 && value <= 0xdfff ? "\ufffd" : String.fromCodePoint(value);
  return { text, end };
}

function scanRaw(source: string, start: number, fail: (message: string, at: number) => never): { value: string; end: number } {
  let out = "";
  let i = start + 1;
  for (;;) {
    const close = source.indexOf("`", i);
    if (close === -1) fail("raw string not terminated: close it with `", start);
    out += source.slice(i, close);
    // Inside a raw string, two backticks stand for one.
    if (source[close + 1] === "`") {
      out += "`";
      i = close + 2;
      continue;
    }
    return { value: out, end: close + 1 };
  }
}
