/**
 * Hostile text from a repository or a comment (issue 10): each input that once stalled the App,
 * run through the code that reads it now, with its size and the median time. The figures before
 * the fixes were 67 s (tag regex, 32 characters), 12–30 s (comment), 12 s and 157 s (20,000 and
 * 50,000 keys) and 15 s (nine nested {{#each}}), and 0.4 s for a pull request body of 10,000
 * unclosed metadata blocks (a lazy regex scanned to the end again from each); a run cannot measure
 * both, so this prints the absolute medians. Asserts nothing. Run: node --import tsx bench/hostile-text.ts
 */
import { performance } from "node:perf_hooks";
import { findCommandLines } from "../src/commands/find-command-lines.js";
import { validateProject } from "../src/config/index.js";
import { isAutoPromotionEnabled } from "../src/pipeline/is-auto-promotion-enabled.js";
import { parseFreightCommitMessage } from "../src/records/freight-commit-message.js";
import { parseMetadata } from "../src/records/promotion-metadata.js";
import { parseVerificationRecord } from "../src/records/verification-record.js";
import { compileTemplate } from "../src/render/compile-template.js";
import { compilePathFilters } from "../src/warehouse/git/compile-path-filters.js";
import { compileTagFilters } from "../src/warehouse/selection/compile-tag-filters.js";

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(label: string, size: string, run: () => unknown): void {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  console.log(`${label.padEnd(52)} ${size.padStart(18)}  median ${median(times).toFixed(2).padStart(8)} ms, max ${Math.max(...times).toFixed(2)} ms`);
}

const tag = `${"a".repeat(127)}!`;
measure('ignoreTagsRegexes ["(a+)+$"], one tag', `${tag.length} chars`, () => compileTagFilters({ ignoreTagsRegexes: ["(a+)+$"] }, "image x")(tag));
const path = `${"a".repeat(4000)}!`;
measure("includePaths regex:^(a+)+$, one path", `${path.length} chars`, () => (compilePathFilters(["regex:^(a+)+$"], undefined, "git x") as (p: string[]) => boolean)([path]));
const stars = `glob:${"*a".repeat(30)}*b`;
measure(`includePaths ${stars.slice(0, 16)}… (31 stars), one path`, `${path.length} chars`, () => (compilePathFilters([stars], undefined, "git x") as (p: string[]) => boolean)([path]));
const config = { promotionPolicies: [{ stageSelector: { name: "regex:^(a|aa)+$" }, autoPromotionEnabled: true }], github: { dashboard: true } };
measure("stageSelector regex:^(a|aa)+$, one stage name", "64 chars", () => isAutoPromotionEnabled({ config }, `${"a".repeat(63)}!`));

const comment = `/help\n${"_a".repeat(32_000)}`;
measure("comment: /help then _a × 32000", `${comment.length} chars`, () => findCommandLines(comment));
const quotes = `${"> ".repeat(30_000)}/promote prod\n\n/status`;
measure("comment: a quote 30,000 levels deep", `${quotes.length} chars`, () => findCommandLines(quotes));
const backticks = `/status ${"`a``b```c".repeat(7_000)}`;
measure("comment: 21,000 backtick runs", `${backticks.length} chars`, () => findCommandLines(backticks));

for (const keys of [20_000, 50_000]) {
  const text = `warehouses: []\nstages: []\n${Array.from({ length: keys }, (_, i) => `k${i}: ${i}`).join("\n")}\n`;
  measure(`config with ${keys} keys`, `${(text.length / 1024).toFixed(0)} KiB`, () => validateProject({ native: [{ path: "s.yml", text }] }, { projectName: "x" }));
}
const repeated = `warehouses: []\nstages: []\n${Array.from({ length: 50_000 }, (_, i) => `k: ${i}`).join("\n")}\n`;
measure("config with one key set 50,000 times", `${(repeated.length / 1024).toFixed(0)} KiB`, () => validateProject({ native: [{ path: "s.yml", text: repeated }] }, { projectName: "x" }));

const source = `${"{{#each items}}".repeat(9)}x${"{{/each}}".repeat(9)}`;
const template = compileTemplate(source, "stages[0].spec.github.body");
const view: { items: unknown[] } = { items: [] };
view.items = Array.from({ length: 7 }, () => view);
measure("PR body: nine nested {{#each}} over 7 items (stops)", `${source.length} chars`, () => {
  if (!template.ok) throw new Error(template.message);
  try {
    template.render(view);
  } catch {
    // The budget stops it; the time to get there is the figure.
  }
});

const unclosed = "<!-- stagecoach:metadata ".repeat(10_000);
measure("PR body: 10,000 unclosed metadata blocks", `${unclosed.length} chars`, () => parseMetadata(unclosed, "key"));
const verifyText = "<!-- stagecoach:verification ".repeat(2_200);
measure("check run text: 2,200 unclosed verification blocks", `${verifyText.length} chars`, () => parseVerificationRecord({ id: 1, app: { id: 1 }, output: { text: verifyText } }, 1));
const trailers = "Stagecoach-Freight: {\n".repeat(40_000);
measure("commit message: 40,000 freight trailer lines", `${trailers.length} chars`, () => parseFreightCommitMessage(trailers));
