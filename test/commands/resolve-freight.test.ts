import { describe, expect, it } from "vitest";
import { resolveFreight } from "../../src/commands/resolve-freight.js";
import type { Freight } from "../../src/pipeline/types.js";
import { makeFreight } from "../pipeline/support/make-freight.js";

const freight = [
  makeFreight("3f2a9c1d", "wiggly-tuatara", { tag: "1.4.0" }),
  makeFreight("3f2a9c7e", "brave-okapi", { tag: "1.5.0" }),
  makeFreight("a1b2c3d4", "calm-heron", { tag: "1.5.0" }),
  makeFreight("beefcafe", "deadbee", { tag: "2.0.0" }),
];

function resolvedAlias(ref: string): string | undefined {
  const result = resolveFreight(ref, freight);
  return result.ok ? result.freight.alias : result.message;
}

describe("resolveFreight", () => {
  it.each([
    ["an alias", "wiggly-tuatara", "wiggly-tuatara"],
    ["an alias in capitals", "Brave-Okapi", "brave-okapi"],
    ["a 7-character ID prefix", "a1b2c3d", "calm-heron"],
    ["a full ID", "a1b2c3d4".padEnd(40, "0"), "calm-heron"],
    ["an ID prefix in capitals", "A1B2C3D", "calm-heron"],
    ["an image tag", "1.4.0", "wiggly-tuatara"],
    ["an alias that looks like an ID prefix, before the prefix", "deadbee", "deadbee"],
  ])("finds freight by %s", (_label, ref, alias) => {
    expect(resolvedAlias(ref)).toBe(alias);
  });

  it("refuses an ambiguous ID prefix and lists the candidates", () => {
    const result = resolveFreight("3f2a9c", freight.concat(makeFreight("3f2a9c11", "x")));
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining("An ID prefix needs at least 7 characters."),
    });
    const ambiguous = resolveFreight("3f2a9c1", [...freight, makeFreight("3f2a9c1f", "lucky-lynx")]);
    expect(ambiguous).toEqual({
      ok: false,
      message:
        "`3f2a9c1` matches 2 freight known to this project: `wiggly-tuatara` (3f2a9c1, 1.4.0), " +
        "`lucky-lynx` (3f2a9c1, lucky-lynx). Name one by its alias.",
    });
  });

  it("refuses a tag two freight share", () => {
    const result = resolveFreight("1.5.0", freight, "available to prod");
    expect(result).toMatchObject({ ok: false });
    expect((result as { message: string }).message).toContain("`1.5.0` matches 2 freight available to prod");
  });

  it("lists at most five candidates", () => {
    const many = Array.from({ length: 8 }, (_, i) => makeFreight(`cafe00${i}`, `twin-${i}`, { tag: "latest" }));
    const message = (resolveFreight("latest", many) as { message: string }).message;
    expect(message).toContain("and 3 more");
    expect(message).not.toContain("twin-5");
  });

  it.each<[string, string, Freight[]]>([
    ["an unknown alias", "sleepy-sloth", freight],
    ["a hex string matching nothing", "0123456", freight],
    ["an empty list", "wiggly-tuatara", []],
  ])("says how to name freight when nothing matches: %s", (_label, ref, list) => {
    const result = resolveFreight(ref, list, "available to uat");
    expect(result).toEqual({
      ok: false,
      message: `No freight available to uat matches \`${ref}\`. Name freight by its alias, an ID prefix (7+ characters) or an image tag; \`/status\` lists the freight.`,
    });
  });

  it("does not match a 6-character prefix and says why", () => {
    expect((resolveFreight("a1b2c3", freight) as { message: string }).message).toContain(
      "An ID prefix needs at least 7 characters.",
    );
  });
});
