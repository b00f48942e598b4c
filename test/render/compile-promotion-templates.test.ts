import { describe, expect, it } from "vitest";
import { compilePromotionTemplates, DEFAULT_PROMOTION_TEMPLATES } from "../../src/render/compile-promotion-templates.js";

describe("compilePromotionTemplates", () => {
  it("names both broken config fields", () => {
    const fields = { title: "stages[2].github.title", body: "stages[2].github.body" };
    expect(compilePromotionTemplates({ title: "{{#if x}}", body: "{{> p}}" }, fields)).toEqual({
      ok: false,
      messages: [
        expect.stringMatching(/^stages\[2\]\.github\.title: the template does not parse at line 1/),
        "stages[2].github.body: the template does not compile at line 1, column 1: partials are not allowed.",
      ],
    });
  });

  it("falls back to the defaults for what a stage leaves out", () => {
    const compiled = compilePromotionTemplates({ title: "Ship {{alias}}" }, { title: "t", body: "b" });
    if (!compiled.ok) throw new Error(compiled.messages.join("\n"));
    expect(compiled.templates.title({ alias: "x" })).toBe("Ship x");
    expect(compiled.templates.body({ alias: "x", stage: "prod" })).toBe(DEFAULT_PROMOTION_TEMPLATES.body({ alias: "x", stage: "prod" }));
  });
});
