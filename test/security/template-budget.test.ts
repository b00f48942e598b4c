import { describe, expect, it } from "vitest";
import { compileBuiltInTemplate, compileTemplate, CONFIG_TEMPLATE_BUDGET, MAX_TEMPLATE_LENGTH } from "../../src/render/compile-template.js";
import { DEFAULT_PROMOTION_TEMPLATES } from "../../src/render/compile-promotion-templates.js";
import { finishesWithin } from "./support/finishes-within.js";

const FIELD = "stages[0].spec.github.body";

function renderError(source: string, view: object, options: Parameters<typeof compileTemplate>[2] = {}): string {
  const compiled = compileTemplate(source, FIELD, options);
  if (!compiled.ok) throw new Error(compiled.message);
  try {
    compiled.render(view);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the render to stop");
}

// Issue 10, item 6: nine nested {{#each}} in a 300-byte PR template rendered 40 million
// characters in 15 s. A render of a template from config now has a budget of iterations,
// characters and milliseconds, and stops at the first it passes, naming the field.
describe("rendering a template from config within a budget", () => {
  it("stops nine nested {{#each}} over seven items at the iteration budget, naming the field and the time taken", async () => {
    const result = await finishesWithin<{ rendered?: number; error?: string }>(5, "nestedEachTemplate", 9, 7);
    expect(result.rendered).toBeUndefined();
    expect(result.error).toMatch(
      new RegExp(`^stages\\[0\\]\\.spec\\.github\\.body: the template failed to render: it ran more than ${CONFIG_TEMPLATE_BUDGET.iterations} \\{\\{#each\\}\\} / \\{\\{#with\\}\\} iterations \\(the budget of one render\\); it stopped after \\d+ ms: loop over fewer items or nest fewer \\{\\{#each\\}\\} blocks$`),
    );
  });

  it("stops at the character budget, counting nested output once", () => {
    const big = "x".repeat(1000);
    expect(renderError("{{#each rows}}{{#with this}}{{text}}{{/with}}{{/each}}", { rows: Array.from({ length: 70 }, () => ({ text: big })) })).toContain(
      `it produced more than ${CONFIG_TEMPLATE_BUDGET.characters} characters (the budget of one render)`,
    );
    // 60 rows of 1,000 characters, through two levels, fit: the inner output is not counted twice.
    const compiled = compileTemplate("{{#each rows}}{{#with this}}{{text}}{{/with}}{{/each}}", FIELD);
    expect(compiled.ok && compiled.render({ rows: Array.from({ length: 60 }, () => ({ text: big })) }).length).toBe(60_000);
  });

  it("stops at the time budget, on the clock it is given", () => {
    let clock = 0;
    const now = () => (clock += 100);
    expect(renderError("{{#each items}}{{this}}{{/each}}", { items: [1, 2, 3, 4] }, { now })).toMatch(/it took more than 250 ms \(the budget of one render\); it stopped after \d+ ms/);
  });

  it("refuses a template longer than a pull request body can be, when it is compiled", () => {
    const compiled = compileTemplate("x".repeat(MAX_TEMPLATE_LENGTH + 1), FIELD);
    expect(compiled).toEqual({ ok: false, message: `${FIELD}: the template is ${MAX_TEMPLATE_LENGTH + 1} characters long; at most ${MAX_TEMPLATE_LENGTH} (what GitHub keeps of a pull request body)` });
  });

  it("keeps what each and with do: @index, @first, @last, @key, block params and else", () => {
    const compiled = compileTemplate(
      "{{#each items as |item i|}}{{#if @first}}[{{/if}}{{i}}:{{item.name}}{{#unless @last}},{{/unless}}{{#if @last}}]{{/if}}{{/each}}" +
        " {{#each map}}{{@key}}={{this}};{{/each}} {{#with who}}{{name}}{{else}}nobody{{/with}} {{#with none}}x{{else}}none{{/with}} {{#each empty}}x{{else}}empty{{/each}}",
      FIELD,
    );
    expect(compiled.ok && compiled.render({ items: [{ name: "dev" }, { name: "prod" }], map: { a: 1, b: 2 }, who: { name: "ann" }, empty: [] })).toBe("[0:dev,1:prod] a=1;b=2; ann none empty");
  });

  it("leaves the built-in templates without a budget: the App's own loops run over its own data", () => {
    const render = compileBuiltInTemplate("{{#each stages}}{{#each freight}}.{{/each}}{{/each}}", "dashboard");
    const stages = Array.from({ length: 600 }, () => ({ freight: Array.from({ length: 50 }, (_, i) => i) }));
    expect(render({ stages })).toHaveLength(30_000);
    expect(DEFAULT_PROMOTION_TEMPLATES.title({ alias: "wiggly-tuatara", stage: "prod" })).toBe("Promote wiggly-tuatara to prod");
  });
});
