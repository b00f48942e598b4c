import { describe, expect, it } from "vitest";
import { formatDiagnostic, validateProject } from "../../src/config/index.js";
import { compileSelector } from "../../src/text/compile-selector.js";
import { compileUserRegex, MAX_EXPANDED_LENGTH, MAX_PATTERN_LENGTH } from "../../src/text/compile-user-regex.js";
import { compileTagFilters } from "../../src/warehouse/selection/compile-tag-filters.js";
import { finishesWithin } from "./support/finishes-within.js";

// Issue 10, item 3: `ignoreTagsRegexes: ["(a+)+$"]` against a 32-character tag blocked the event
// loop for 67 s. Every pattern from config now runs in RE2, whose matching is linear in the text.
describe("regexes from config run in linear time", () => {
  it("matches the catastrophic tag regex against a long tag at once (the tag does not match, so it is kept)", async () => {
    expect(await finishesWithin(5, "catastrophicTagRegex", 32)).toBe(true);
    expect(await finishesWithin(5, "catastrophicTagRegex", 127)).toBe(true);
    expect(compileTagFilters({ ignoreTagsRegexes: ["(a+)+$"] }, "image x")("a".repeat(100))).toBe(false);
  });

  it.each([
    ["a regex: path filter", "path", "regex:^(a+)+$", `${"a".repeat(4000)}!`],
    ["a glob: path filter with many stars", "path", `glob:${"*a".repeat(30)}*b`, "a".repeat(4000)],
    ["a regex: stage selector", "stage", "regex:^(a|aa)+$", `${"a".repeat(63)}!`],
    ["a glob: stage selector with many stars", "stage", `glob:${"*a".repeat(30)}*b`, "a".repeat(63)],
  ])("matches %s against a long text at once", async (_label, kind, selector, text) => {
    expect(await finishesWithin(5, "catastrophicSelector", kind, selector, text)).toBe(false);
  });

  it("keeps the meaning of ordinary patterns (RE2 is Go's syntax, which Kargo runs)", () => {
    const test = (pattern: string, text: string) => {
      const compiled = compileUserRegex(pattern);
      if (!compiled.ok) throw new Error(compiled.problem);
      return compiled.test(text);
    };
    expect(test("^v\\d+\\.\\d+\\.\\d+$", "v1.22.3")).toBe(true);
    expect(test("^v\\d+\\.\\d+\\.\\d+$", "v1.22.3-rc.1")).toBe(false);
    expect(test("-rc\\.\\d+$", "1.0.0-rc.2")).toBe(true);
    expect(test("(?i)^LATEST$", "latest")).toBe(true);
    expect(test("^(?P<major>\\d+)\\.", "12.1")).toBe(true);
    expect(test("[[:digit:]]{3}", "ab123")).toBe(true);
  });

  it.each([
    ["a lookahead", "^v(?!0\\.)", "uses a lookahead", "list what must not match as its own entry"],
    ["a negative lookbehind", "(?<!-rc)$", "uses a lookbehind", "list what must not match as its own entry"],
    ["a backreference", "^(\\d)\\1$", "uses a backreference", "write the repeated part out"],
    ["a \\u escape", "\\u00e9", "uses a \\u escape", "write \\x{263A}"],
    ["a repeat count over RE2's limit", "a{1001}", "repeats something more than 1000 times", "use + or *"],
    ["an unclosed group", "v(1", "is not a regular expression (missing closing ): `v(1`)", undefined],
  ])("refuses %s with what to write instead", (_label, pattern, problem, fix) => {
    const compiled = compileUserRegex(pattern);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problem).toContain(problem);
    if (fix) expect(compiled.fix).toContain(fix);
    else expect(compiled.fix).toBeUndefined();
  });

  it("refuses a pattern too long, or one whose repeats expand past the budget, before compiling it", () => {
    const long = compileUserRegex("a".repeat(MAX_PATTERN_LENGTH + 1));
    expect(long).toMatchObject({ ok: false, problem: `is ${MAX_PATTERN_LENGTH + 1} characters long (at most ${MAX_PATTERN_LENGTH})` });
    // Each `(?:[a-z]?){999}` is about 8,000 characters written out; RE2 would compile that many copies.
    const expanding = compileUserRegex("(?:[a-z]?){999}");
    expect(expanding).toMatchObject({ ok: false, fix: "use + or * instead of large repeat counts" });
    expect((expanding as { problem: string }).problem).toContain(`(at most ${MAX_EXPANDED_LENGTH})`);
    expect(compileUserRegex("[0-9a-f]{40}").ok).toBe(true);
  });

  it("refuses globs that would read differently here: a leading ! and shell extended globs", () => {
    expect(compileSelector("glob:!docs/**", "path")).toMatchObject({ ok: false, problem: "starts with !, which would negate the glob" });
    expect(compileSelector("glob:@(a|b)/values.yaml", "path")).toMatchObject({ ok: false, fix: "write {a,b} for alternatives, or use a regex: entry", offset: 5 });
  });
});

describe("config validation refuses what RE2 cannot run, at the field and the character", () => {
  const lines = (text: string, kargo = false) => {
    const files = { [kargo ? "kargo" : "native"]: [{ path: kargo ? "k.yaml" : "s.yml", text }] };
    const result = validateProject(files, { projectName: "x", repoURL: "https://github.com/acme/gitops" });
    return { valid: result.valid, lines: result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic) };
  };

  it("in a native config: tag regexes, path filters and stage selectors", () => {
    const text = [
      "warehouses:",
      "  - name: app",
      "    subscriptions:",
      '      - image: { repoURL: ghcr.io/acme/app, ignoreTagsRegexes: ["(a+)+$", "^v(?!1)"] }',
      "      - git:",
      "          repoURL: https://github.com/acme/cfg",
      "          allowTagsRegexes: ['^(\\d)\\1']",
      '          includePaths: ["apps", "regexp:^apps/(?=x)"]',
      "promotionPolicies:",
      '  - stageSelector: { name: "regex:^prod(?<!x)" }',
      "    autoPromotionEnabled: true",
      "stages:",
      "  - name: dev",
      "    from: app",
    ].join("\n");
    expect(lines(text)).toEqual({
      valid: false,
      lines: [
        's.yml:4:78: warehouses[0].subscriptions[0].image.ignoreTagsRegexes[1]: "^v(?!1)" uses a lookahead, which RE2 syntax (Kargo\'s too) does not have (at `(?!`); match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)',
        's.yml:7:36: warehouses[0].subscriptions[1].git.allowTagsRegexes[0]: "^(\\d)\\1" uses a backreference, which RE2 syntax (Kargo\'s too) does not have (at `\\1`); write the repeated part out instead of referring back to a group',
        's.yml:8:48: warehouses[0].subscriptions[1].git.includePaths[1]: "regexp:^apps/(?=x)" uses a lookahead, which RE2 syntax (Kargo\'s too) does not have (at `(?=`); match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)',
        's.yml:10:40: promotionPolicies[0].stageSelector.name: "regex:^prod(?<!x)" uses a lookbehind, which RE2 syntax (Kargo\'s too) does not have (at `(?<!`); match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)',
      ],
    });
  });

  it("in a Kargo manifest, at the deprecated allowTags field it was written in", () => {
    const text = [
      "apiVersion: kargo.akuity.io/v1alpha1",
      "kind: Warehouse",
      "metadata: { name: app, namespace: shop }",
      "spec:",
      "  subscriptions:",
      "    - image:",
      "        repoURL: ghcr.io/acme/app",
      '        allowTags: "^v(?=1)"',
    ].join("\n");
    expect(lines(text, true).lines).toEqual([
      'k.yaml:8:23: spec.subscriptions[0].image.allowTags: "^v(?=1)" uses a lookahead, which RE2 syntax (Kargo\'s too) does not have (at `(?=`); match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)',
    ]);
  });
});
