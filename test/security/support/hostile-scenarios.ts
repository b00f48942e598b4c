import { findCommandLines } from "../../../src/commands/find-command-lines.js";
import { validateProject } from "../../../src/config/validate-project.js";
import { compileTemplate } from "../../../src/render/compile-template.js";
import { isAutoPromotionEnabled } from "../../../src/pipeline/is-auto-promotion-enabled.js";
import { compilePathFilters } from "../../../src/warehouse/git/compile-path-filters.js";
import { compileTagFilters } from "../../../src/warehouse/selection/compile-tag-filters.js";

/**
 * The hostile inputs of issue 10, each as a function a worker thread runs (see finishes-within.ts).
 * Each returns plain data, so the test can also check what the input produced.
 */

/** `ignoreTagsRegexes: ["(a+)+$"]` against a tag of `a`s that does not end the way the pattern wants. */
export function catastrophicTagRegex(length: number): boolean {
  return compileTagFilters({ ignoreTagsRegexes: ["(a+)+$"] }, "image ghcr.io/acme/app")(`${"a".repeat(length)}!`);
}

/** A path filter or stage selector of the same shape, through discovery's and auto-promotion's own entry points. */
export function catastrophicSelector(kind: "path" | "stage", selector: string, text: string): boolean {
  if (kind === "path") return (compilePathFilters([selector], undefined, "git https://github.com/acme/app") as (paths: string[]) => boolean)([text]);
  const config = { promotionPolicies: [{ stageSelector: { name: selector }, autoPromotionEnabled: true }], github: { dashboard: true } };
  return isAutoPromotionEnabled({ config }, text);
}

/** One comment of up to GitHub's 65,536 characters. */
export function commandLines(body: string): string[] {
  return findCommandLines(body);
}

/** The checks of a native config whose text `build` makes from `count`. */
export function checkConfig(shape: keyof typeof CONFIG_SHAPES, count: number): { valid: boolean; bytes: number; diagnostics: number; first?: string } {
  const text = CONFIG_SHAPES[shape](count);
  const result = validateProject({ native: [{ path: ".github/stagecoach.yml", text }] }, { projectName: "x" });
  return { valid: result.valid, bytes: text.length, diagnostics: result.diagnostics.length, first: result.diagnostics[0]?.message };
}

const CONFIG_SHAPES = {
  /** `count` distinct top-level keys, each an unsupported field (a warning each). */
  distinctKeys: (count: number) => `warehouses: []\nstages: []\n${Array.from({ length: count }, (_, i) => `k${i}: ${i}`).join("\n")}\n`,
  /** One key set `count` times. */
  repeatedKey: (count: number) => `warehouses: []\nstages: []\n${Array.from({ length: count }, (_, i) => `k: ${i}`).join("\n")}\n`,
  /** `count` stages, each taking freight from a stage or warehouse that does not exist. */
  brokenStages: (count: number) => `stages:\n${Array.from({ length: count }, (_, i) => `  - { name: s${i}, from: missing${i} }`).join("\n")}\n`,
};

/** A PR body template of `depth` nested `{{#each}}` over a view whose list holds itself. */
export function nestedEachTemplate(depth: number, width: number): { rendered?: number; error?: string } {
  const compiled = compileTemplate(`${"{{#each items}}".repeat(depth)}x${"{{/each}}".repeat(depth)}`, "stages[0].spec.github.body");
  if (!compiled.ok) return { error: compiled.message };
  const view: { items: unknown[] } = { items: [] };
  view.items = Array.from({ length: width }, () => view);
  try {
    return { rendered: compiled.render(view).length };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
