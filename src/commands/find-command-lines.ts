import { findTopLevelParagraphs } from "../text/find-top-level-paragraphs.js";
import { maskCodeSpans } from "../text/mask-code-spans.js";

/** GitHub keeps at most this many characters of a comment; more did not come from GitHub. */
const MAX_BODY = 65_536;
/** Without such a line there is nothing to find, and most comments are not read further. */
const MAYBE_COMMAND = /^[ \t]*\/[A-Za-z]/m;

/**
 * The lines of a comment that start with `/` as GitHub would render them as plain paragraph
 * text: quotes, code blocks, lists, tables, headings, HTML (comments included) and inline code are
 * skipped, so quoting someone's command or showing one in a code span never runs it. Reading is
 * linear in the comment (at most 65,536 characters), so no comment, however built, stalls the App.
 */
export function findCommandLines(body: string): string[] {
  if (!MAYBE_COMMAND.test(body)) return [];
  const text = body.slice(0, MAX_BODY).replace(/\r\n?/g, "\n");
  return findTopLevelParagraphs(text)
    .flatMap((paragraph) => maskCodeSpans(paragraph).split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("/"));
}
