import { describe, expect, it } from "vitest";
import { finishesWithin } from "./support/finishes-within.js";

// Issue 10, item 4: one 64 KB comment (`/help` then `_a` × 32000) held the App for 12–30 s in the
// Markdown lexer, before any permission check. Command lines are now found by a line scanner
// that reads each line once; these comments, each near GitHub's 65,536 characters, must not stall it.
describe("finding command lines in a hostile comment", () => {
  it.each<[string, string, string[]]>([
    ["`/help` then `_a` × 32000", `/help\n${"_a".repeat(32_000)}`, ["/help"]],
    ["emphasis markers × 30000", `/status ${"*_".repeat(30_000)}`, ["/status *_*_"]],
    ["a quote 30,000 levels deep", `${"> ".repeat(30_000)}/promote prod\n\n/status`, ["/status"]],
    ["a list 20,000 levels deep", `${"1. ".repeat(20_000)}/promote prod\n\n/status`, ["/status"]],
    ["7,000 × three backtick runs, paired into code spans", `/status ${"`a``b```c".repeat(7_000)}`, ["/status  "]],
    ["13,000 unclosed HTML comments", `${"<!--\n".repeat(13_000)}/status`, []],
    ["a tag with 16,000 attributes, never closed", `<a${" b=c".repeat(16_000)}\n/status`, ["/status"]],
    ["a lone tag with 16,000 attributes", `<a${" b=c".repeat(16_000)}>\n/status`, []],
    ["6,000 table-shaped pairs of lines", `/status\n${"a|b\n--|--\n".repeat(6_000)}`, ["/status"]],
    ["8,000 lazy lines after a list item", `- a\n${"/status\n".repeat(8_000)}`, []],
  ])("%s", async (_label, body, expected) => {
    const lines = await finishesWithin<string[]>(5, "commandLines", body);
    // The start of each line is enough to tell the lines apart (and that code spans were blanked).
    expect(lines.map((line, i) => line.slice(0, expected[i]?.length ?? 20))).toEqual(expected);
  });
});
