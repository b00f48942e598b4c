import { describe, expect, it } from "vitest";
import { findTopLevelParagraphs } from "../../src/text/find-top-level-paragraphs.js";
import { maskCodeSpans } from "../../src/text/mask-code-spans.js";

// The block rules are marked's (GFM): each case below was checked against marked's lexer, which
// read comments before this scanner did.
describe("findTopLevelParagraphs", () => {
  it.each<[string, string, string[]]>([
    ["paragraphs split by blank lines", "a\nb\n\nc", ["a\nb", "c"]],
    ["an indented line continuing a paragraph", "a\n    b", ["a\n    b"]],
    ["a setext heading", "/status\n---\nafter", ["after"]],
    ["a setext heading over several lines", "a\n/status\n===", []],
    ["no setext heading across a numbered line", "a\n2. b\n===", ["a\n2. b\n==="]],
    ["a numbered line over a rule-shaped line, read as a list", "a\n2. b\n---", ["a"]],
    ["a table", "/a | b\n--|--\n/c | d\n\ne", ["e"]],
    ["table-shaped lines whose columns differ", "a\nb\n--|--|--", ["a\nb\n--|--|--"]],
    ["an ATX heading", "# /status\nx", ["x"]],
    ["a list and its lazy line", "- a\n/status\n\nb", ["b"]],
    ["a list ended by a blank line", "- a\n\n/status", ["/status"]],
    ["a list item that holds a fence, and an unindented line after it", "- ```\n/status", ["/status"]],
    ["a quote and its lazy line", "> a\n/status", []],
    ["a quote holding a fence, which a lazy line does not continue", "> ```\n/status", ["/status"]],
    ["an HTML comment over several lines", "<!--\n/status\n-->\nb", ["b"]],
    ["an HTML block up to a blank line", "<details>\n/status\n\nb", ["b"]],
    ["a lone tag, which cannot interrupt a paragraph", "a\n<span>\n/status", ["a\n<span>\n/status"]],
    ["uppercase HTML, which does not interrupt a paragraph", "a\n<DIV>\n/status", ["a\n<DIV>\n/status"]],
    ["a link definition with its destination on the next line", "[a]:\n/status", []],
    ["a fence closed by a longer one", "````\n/status\n```\n/help\n`````\nb", ["b"]],
    ["a backtick fence whose info string has a backtick (not a fence)", "``` `x`\n/status", ["``` `x`\n/status"]],
  ])("%s", (_label, text, paragraphs) => {
    expect(findTopLevelParagraphs(text)).toEqual(paragraphs);
  });
});

describe("maskCodeSpans", () => {
  it.each([
    ["a span", "a `b` c", "a     c"],
    ["a span over two lines, newline kept", "a `b\n/c` d", "a   \n    d"],
    ["a double-backtick span holding a single backtick", "``a`b`` c", "        c"],
    ["a run with no partner of its length", "`a``", "`a``"],
    ["an escaped backtick, which opens nothing", "\\`/a` `b`", "\\`/a   b`"],
  ])("%s", (_label, text, masked) => {
    expect(maskCodeSpans(text)).toBe(masked);
  });
});
