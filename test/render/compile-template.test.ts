import { describe, expect, it } from "vitest";
import { compileTemplate } from "../../src/render/compile-template.js";

const FIELD = "stages[prod].spec.github.body";

function render(source: string, view: object = {}, plainText = false): string {
  const compiled = compileTemplate(source, FIELD, { plainText });
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.render(view);
}

function refusal(source: string): string {
  const compiled = compileTemplate(source, FIELD);
  if (compiled.ok) throw new Error(`expected ${JSON.stringify(source)} to be refused`);
  return compiled.message;
}

describe("compileTemplate", () => {
  it("renders the view with the built-in block helpers", () => {
    expect(render("{{#each items}}{{#if @first}}{{else}}, {{/if}}{{name}}{{/each}}{{#unless none}}!{{/unless}}", {
      items: [{ name: "dev" }, { name: "uat" }],
    })).toBe("dev, uat!");
  });

  it("escapes HTML by default and leaves plain text alone", () => {
    expect(render("{{x}}", { x: "<img src=x onerror=alert(1)>" })).toBe("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(render("{{x}}", { x: "R&D <3" }, true)).toBe("R&D <3");
  });

  it.each([
    ["constructor", "{{constructor}}"],
    ["a prototype method's name", "{{constructor.name}}"],
    ["__proto__", "{{__proto__}}"],
    ["lookup of __proto__", '{{lookup this "__proto__"}}'],
    ["__defineGetter__", "{{__defineGetter__}}"],
    ["a nested constructor", "{{#with x}}{{constructor.constructor}}{{/with}}"],
  ])("reads nothing from the prototype: %s", (_label, source) => {
    expect(render(source, { x: {} })).toBe("");
  });

  it.each([
    [
      "an unclosed block",
      "Promote {{alias}}\n{{#if current}}\nfrom {{current}}",
      "stages[prod].spec.github.body: the template does not parse at line 3 (the template ends inside an expression or block):",
    ],
    [
      "an unclosed expression",
      "line one\nline {{alias",
      "stages[prod].spec.github.body: the template does not parse at line 2 (an expression that is not closed with }}):",
    ],
    [
      "a stray closing tag",
      "{{/if}}",
      "stages[prod].spec.github.body: the template does not parse at line 1 (a {{/…}} that closes no open block):",
    ],
    [
      "mismatched blocks",
      "a\n  {{#each x}}{{/with}}",
      "stages[prod].spec.github.body: the template does not compile at line 2, column 6: each doesn't match with.",
    ],
    [
      "an unknown helper",
      "a\n  {{shout alias}}",
      "stages[prod].spec.github.body: the template does not compile at line 2, column 3: it uses the unknown helper shout; templates may use only if, unless, each, with and lookup.",
    ],
    [
      "the log helper",
      "{{log alias}}",
      "stages[prod].spec.github.body: the template does not compile at line 1, column 1: it uses the unknown helper log;",
    ],
    ["a partial", "x\n{{> secrets}}", "stages[prod].spec.github.body: the template does not compile at line 2, column 1: partials are not allowed."],
    ["a partial block", "{{#> layout}}x{{/layout}}", "partials are not allowed"],
    ["an inline partial decorator", '{{#*inline "a"}}x{{/inline}}', "decorators are not allowed"],
  ])("refuses %s at once, naming the field and the position", (_label, source, message) => {
    expect(refusal(source)).toContain(message);
  });

  it("shows the place of a parse error with a caret", () => {
    expect(refusal("Promote {{alias} to prod")).toContain("    Promote {{alias} to prod\n    ---------------^");
  });
});
