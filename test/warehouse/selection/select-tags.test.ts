import { describe, expect, it } from "vitest";
import { parseTagVersion, selectLexicalTags, selectNewestBuilds, selectSemverTags } from "../../../src/warehouse/selection/index.js";
import { DiscoveryError } from "../../../src/warehouse/types.js";

const field = "warehouse app, subscriptions[0].image";

describe("parseTagVersion", () => {
  it.each([
    ["1.2.3", true, "1.2.3"],
    ["v1.2.3", true, "1.2.3"],
    ["1.2.3-rc.1+build.5", true, "1.2.3-rc.1"],
    ["1.2", true, undefined],
    ["1.2", false, "1.2.0"],
    ["v1", false, "1.0.0"],
    ["01.2.3", false, undefined],
    ["latest", false, undefined],
    ["1.2.3.4", false, undefined],
    ["sha-abc123", true, undefined],
  ])("%s (strict %s) → %s", (tag, strict, expected) => {
    expect(parseTagVersion(tag, strict)?.version).toBe(expected);
  });
});

describe("selectSemverTags", () => {
  const tags = ["1.0.0", "latest", "1.10.0", "1.9.0", "v2.0.0", "2.0.0-rc.1", "1.2", "0.9.0", "1.9.0-beta"];

  it("orders by version, not by text, newest first", () => {
    expect(selectSemverTags(tags, { strictSemvers: true, discoveryLimit: 20 }, field)).toEqual(["v2.0.0", "2.0.0-rc.1", "1.10.0", "1.9.0", "1.9.0-beta", "1.0.0", "0.9.0"]);
  });

  it("reads lenient versions only when strictSemvers is false", () => {
    expect(selectSemverTags(tags, { strictSemvers: false, discoveryLimit: 20 }, field)).toContain("1.2");
    expect(selectSemverTags(tags, { strictSemvers: true, discoveryLimit: 20 }, field)).not.toContain("1.2");
  });

  it("applies a constraint, which leaves prereleases out unless it names one", () => {
    expect(selectSemverTags(tags, { constraint: "^1.0.0", strictSemvers: true, discoveryLimit: 20 }, field)).toEqual(["1.10.0", "1.9.0", "1.0.0"]);
    expect(selectSemverTags(tags, { constraint: ">=1.5.0, <2.0.0", strictSemvers: true, discoveryLimit: 20 }, field)).toEqual(["1.10.0", "1.9.0"]);
    expect(selectSemverTags(tags, { constraint: "~0.9 || >=2.0.0-rc.0", strictSemvers: true, discoveryLimit: 20 }, field)).toEqual(["v2.0.0", "2.0.0-rc.1", "0.9.0"]);
  });

  it("breaks ties between equal versions by their text, whatever the registry's order", () => {
    const a = selectSemverTags(["1.0", "1.0.0", "v1.0.0"], { strictSemvers: false, discoveryLimit: 20 }, field);
    const b = selectSemverTags(["v1.0.0", "1.0.0", "1.0"], { strictSemvers: false, discoveryLimit: 20 }, field);
    expect(a).toEqual(b);
    expect(a).toEqual(["v1.0.0", "1.0.0", "1.0"]);
  });

  it("honours allow and ignore regexes, ignore winning", () => {
    const options = { strictSemvers: true, discoveryLimit: 20, allowTagsRegexes: ["^1\\."], ignoreTagsRegexes: ["^1\\.9"] };
    expect(selectSemverTags(tags, options, field)).toEqual(["1.10.0", "1.0.0"]);
  });

  it("stops at discoveryLimit", () => {
    expect(selectSemverTags(tags, { strictSemvers: true, discoveryLimit: 2 }, field)).toEqual(["v2.0.0", "2.0.0-rc.1"]);
  });

  it("handles 10,000 tags and picks the newest in range", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `${Math.floor(i / 100)}.${i % 100}.0`);
    const picked = selectSemverTags(many, { constraint: "<50.0.0", strictSemvers: true, discoveryLimit: 3 }, field);
    expect(picked).toEqual(["49.99.0", "49.98.0", "49.97.0"]);
  });

  it("refuses a constraint that is not semver, naming the field", () => {
    expect(() => selectSemverTags(tags, { constraint: "newest please", strictSemvers: true, discoveryLimit: 20 }, field)).toThrow(
      new DiscoveryError(`${field}.constraint: "newest please" is not a semver constraint; write one like ^1.2.0, ~1.4 or ">=1.0.0 <2.0.0"`, false),
    );
  });

  it("refuses a regex that does not compile, naming the field and index", () => {
    expect(() => selectSemverTags(tags, { strictSemvers: true, discoveryLimit: 20, allowTagsRegexes: ["^ok$", "(unclosed"] }, field)).toThrow(
      /subscriptions\[0\]\.image\.allowTagsRegexes\[1\]: "\(unclosed" is not a regular expression/,
    );
  });

  it("ignores absurdly long tags rather than running regexes over them", () => {
    const long = "1.0.0-" + "a".repeat(5000);
    expect(selectSemverTags([long, "1.0.0"], { strictSemvers: true, discoveryLimit: 20 }, field)).toEqual(["1.0.0"]);
  });
});

describe("selectLexicalTags", () => {
  it("orders tags by their bytes, greatest first", () => {
    expect(selectLexicalTags(["nightly-20260101", "nightly-20261122", "Nightly-20270101", "nightly-20260315"], { discoveryLimit: 3 }, field)).toEqual([
      "nightly-20261122",
      "nightly-20260315",
      "nightly-20260101",
    ]);
  });

  it("filters before limiting", () => {
    expect(selectLexicalTags(["b", "c-skip", "a"], { discoveryLimit: 5, ignoreTagsRegexes: ["skip"] }, field)).toEqual(["b", "a"]);
  });
});

describe("selectNewestBuilds", () => {
  it("orders by creation time, newest first, ties by tag", () => {
    const picked = selectNewestBuilds(
      [
        { tag: "a", createdAt: "2026-01-01T00:00:00Z" },
        { tag: "c", createdAt: "2026-03-01T00:00:00Z" },
        { tag: "b", createdAt: "2026-03-01T00:00:00Z" },
        { tag: "d", createdAt: "2025-12-31T23:59:59Z" },
      ],
      3,
    );
    expect(picked.map((p) => p.tag)).toEqual(["c", "b", "a"]);
  });
});
