import { describe, expect, it } from "vitest";
import { compilePathFilters } from "../../../src/warehouse/git/compile-path-filters.js";
import { DiscoveryError } from "../../../src/warehouse/types.js";

const qualifies = (include: string[] | undefined, exclude: string[] | undefined, paths: string[]) => compilePathFilters(include, exclude, "git x")!(paths);

describe("compilePathFilters (Kargo's includePaths/excludePaths)", () => {
  it("is undefined without filters, so no diff is read", () => {
    expect(compilePathFilters(undefined, undefined, "git x")).toBeUndefined();
    expect(compilePathFilters([], [], "git x")).toBeUndefined();
  });

  it.each([
    // [include, exclude, changed paths, qualifies]
    [["apps/guestbook"], undefined, ["apps/guestbook/values.yaml"], true],
    [["apps/guestbook"], undefined, ["apps/guestbook"], true],
    [["apps/guestbook/"], undefined, ["apps/guestbook/a/b.yaml"], true],
    [["./apps/guestbook"], undefined, ["apps/guestbook/x"], true],
    [["apps/guestbook"], undefined, ["apps/guestbook2/values.yaml"], false],
    [["."], undefined, ["anything/at/all"], true],
    [["glob:apps/*/values.yaml"], undefined, ["apps/a/values.yaml"], true],
    [["glob:apps/*/values.yaml"], undefined, ["apps/a/b/values.yaml"], false],
    [["glob:apps/**/values.yaml"], undefined, ["apps/a/b/values.yaml"], true],
    [["glob:*"], undefined, [".env"], true],
    [["regex:values\\.ya?ml$"], undefined, ["deep/dir/values.yml"], true],
    [["regexp:^charts/"], undefined, ["docs/charts/x"], false],
    [undefined, ["docs"], ["docs/a.md"], false],
    [undefined, ["docs"], ["docs/a.md", "src/x.ts"], true],
    [["apps"], ["apps/guestbook/README.md"], ["apps/guestbook/README.md"], false],
    [["apps"], ["apps/guestbook/README.md"], ["apps/guestbook/README.md", "apps/guestbook/values.yaml"], true],
    [["apps"], undefined, [], false],
  ] as const)("include %j exclude %j, changed %j → %s", (include, exclude, paths, expected) => {
    expect(qualifies(include as unknown as string[] | undefined, exclude as unknown as string[] | undefined, [...paths])).toBe(expected);
  });

  it("names the field and the fix for a bad pattern", () => {
    const bad = (include: string[], exclude: string[] = []) => {
      try {
        compilePathFilters(include, exclude, "git https://example.com/r.git");
      } catch (error) {
        expect(error).toBeInstanceOf(DiscoveryError);
        expect((error as DiscoveryError).retryable).toBe(false);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(bad(["ok", "regex:a(b"])).toMatch(/^git https:\/\/example\.com\/r\.git\.includePaths\[1\]: "regex:a\(b" is not a regular expression \(.+\); fix the pattern after regex:$/);
    expect(bad([], ["regexp:"])).toContain("excludePaths[0]: \"regexp:\" has no pattern after regexp:");
    expect(bad(["glob:"])).toContain("includePaths[0]: \"glob:\" has no pattern after glob:");
  });
});
