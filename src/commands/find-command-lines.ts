import { Lexer, type Token, type Tokens } from "marked";

/**
 * The lines of a comment that start with `/` as GitHub would render them as plain paragraph
 * text: quotes, code blocks, lists, HTML (comments included) and inline code are skipped, so
 * quoting someone's command or showing one in a code span never runs it.
 */
export function findCommandLines(body: string): string[] {
  const blocks = new Lexer({ gfm: true }).lex(body.replaceAll("\r\n", "\n"));
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
