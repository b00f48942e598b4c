import { describe, expect, it } from "vitest";
import { ExpressionError, parseTemplate } from "../../../src/promotion/expressions/index.js";

function errorOf(text: string): ExpressionError {
  try {
    parseTemplate(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe("parseTemplate", () => {
  it("splits text and expressions and marks a lone expression", () => {
    const t = parseTemplate("${{ vars.tag }}");
    expect(t.single).toBe(true);
    const mixed = parseTemplate("image:${{ vars.tag }}!");
    expect(mixed.single).toBe(false);
    expect(mixed.segments.map((s) => s.kind)).toEqual(["text", "expression", "text"]);
  });

  it("accepts ${% %} for expressions that contain }}", () => {
    const t = parseTemplate("${% vars['}}'] %}");
    expect(t.single).toBe(true);
    expect(t.segments[0]).toMatchObject({ kind: "expression", source: " vars['}}'] " });
  });

  it("keeps text without expressions as one text segment", () => {
    expect(parseTemplate("plain {{ not ours }}").segments).toEqual([{ kind: "text", text: "plain {{ not ours }}" }]);
  });

  it("reports an unclosed expression at its opening", () => {
    const e = errorOf("abc ${{ vars.x ");
    expect(e.offset).toBe(4);
    expect(e.message).toMatch(/never closed.*add "}}"/);
  });

  it("reports a syntax error at the character where it is", () => {
    const text = "tag: ${{ vars.a + }}";
    const e = errorOf(text);
    expect(e.message).toMatch(/cannot parse expression/);
    expect(e.offset).toBeGreaterThanOrEqual(text.indexOf("+"));
    expect(e.offset).toBeLessThanOrEqual(text.length);
  });

  it("refuses an empty expression", () => {
    expect(errorOf("x${{   }}").message).toMatch(/empty expression/);
  });

  it.each([
    ["${{ vars.constructor }}", "constructor"],
    ["${{ vars['__proto__'] }}", "__proto__"],
    ["${{ outputs.a.prototype.x }}", "prototype"],
    ["${{ constructor }}", "constructor"],
  ])("refuses %s at parse time", (text, name) => {
    const e = errorOf(text);
    expect(e.message).toContain(`"${name}" may not be used`);
    expect(text.slice(e.offset, e.offset + name.length)).toBe(name);
  });

  it("refuses two expressions side by side", () => {
    expect(errorOf("${{ a b }}").message).toMatch(/join them with an operator/);
  });
});
