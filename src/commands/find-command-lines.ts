import { Lexer, type Token, type Tokens } from "marked";

/** GitHub keeps at most this many characters of a comment; more did not come from GitHub. */
const MAX_BODY = 65_536;
/** Without such a line there is nothing to find, and most comments are spared the lexer. */
const MAYBE_COMMAND = /^[ \t]*\/[A-Za-z]/m;
/**
 * Quotes nested two deep or more. Any depth of quote hides a command alike, and the lexer's
 * time grows steeply with depth, so they are read as one level.
 */
const DEEP_QUOTE = /^(?: {0,3}>[ \t]?){2,}/gm;

/**
 * The lines of a comment that start with `/` as GitHub would render them as plain paragraph
 * text: quotes, code blocks, lists, HTML (comments included) and inline code are skipped, so
 * quoting someone's command or showing one in a code span never runs it. Undefined when the
 * comment is built so that it cannot be read (the lexer ran out of stack).
 */
export function findCommandLines(body: string): string[] | undefined {
  if (!MAYBE_COMMAND.test(body)) return [];
  const text = body.slice(0, MAX_BODY).replaceAll("\r\n", "\n").replace(DEEP_QUOTE, "> ");
  let blocks: Token[];
  try {
    blocks = new Lexer({ gfm: true }).lex(text);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return blocks
    .filter((token): token is Tokens.Paragraph => token.type === "paragraph")
    .flatMap((paragraph) => maskCodeSpans(paragraph.tokens).split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("/"));
}

/** Inline code becomes blanks (newlines kept), so a code span that starts a line never reads as a command. */
function maskCodeSpans(tokens: Token[]): string {
  return tokens.map((t) => (t.type === "codespan" ? t.raw.replace(/[^\n]/g, " ") : t.raw)).join("");
}
