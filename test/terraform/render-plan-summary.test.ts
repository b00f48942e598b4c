import { describe, expect, it } from "vitest";
import {
  CHECK_RUN_TEXT_LIMIT,
  PLAN_DETAILS_BUDGET,
  renderPlanDetails,
  renderPlanSummary,
  renderPlanText,
  renderPlanTitle,
} from "../../src/terraform/render-plan-summary.js";
import { summarizePlan } from "../../src/terraform/summarize-plan.js";
import type { PlanSummary } from "../../src/terraform/types.js";
import { planFixture, planJson } from "./support/fixtures.js";

const MIXED = summarizePlan(planJson("mixed.plan.json"));
const RENDERED = planFixture("mixed.plan.txt");

function manyResources(count: number): PlanSummary {
  return { ...MIXED, resources: Array.from({ length: count }, (_, i) => ({ address: `module.app.terraform_data.fn["${i}"]`, action: "create" as const })), outputs: [] };
}

describe("renderPlanTitle", () => {
  it("reads like Terraform's Plan: line, with replacements, imports and forgets in brackets", () => {
    expect(renderPlanTitle(MIXED)).toBe("3 to add, 1 to change, 2 to destroy (1 replaced, 1 to forget)");
    expect(renderPlanTitle(summarizePlan(planJson("no-changes.plan.json")))).toBe("no changes");
  });
});

describe("renderPlanSummary", () => {
  it("gives the counts and a table of every change, with pipes in addresses escaped", () => {
    expect(renderPlanSummary(MIXED)).toBe(
      [
        "**Terraform 1.11.4**: 3 to add, 1 to change, 2 to destroy (1 replaced, 1 to forget).",
        "",
        "| | Action | Address |",
        "|---|---|---|",
        "| + | create | `terraform_data.created` |",
        "| - | delete | `terraform_data.deleted` |",
        '| + | create | `terraform_data.each["red\\|pipe"]` |',
        "| . | forget | `terraform_data.forgotten` |",
        "| -/+ | replace | `terraform_data.replaced` |",
        "| ~ | update | `terraform_data.updated` |",
        "| + | create | output `function_url` |",
        "| + | create | output `settings` |",
        "| + | create | output `token` |",
      ].join("\n"),
    );
  });

  it("says so when nothing changes", () => {
    expect(renderPlanSummary(summarizePlan(planJson("no-changes.plan.json")))).toBe("**Terraform 1.11.4**: no changes. Applying this plan changes nothing.");
  });

  it("shows where a moved instance came from, and keeps backticks in an address inside its code span", () => {
    const summary: PlanSummary = { ...MIXED, resources: [{ address: 'x.y["a`b"]', action: "move", previousAddress: "x.old" }], outputs: [] };
    expect(renderPlanSummary(summary)).toContain('| → | move | ``x.y["a`b"]`` (from `x.old`) |');
  });

  it("stops adding rows at the budget and says how many were left out", () => {
    const text = renderPlanSummary(manyResources(50_000));
    expect(text.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    const shown = text.split("\n").filter((line) => line.startsWith("| + |")).length;
    expect(text.endsWith(`\n\n…and ${50_000 - shown} more changes, left out to fit; the full plan lists every one.`)).toBe(true);
    expect(shown).toBeGreaterThan(1_000);
    expect(renderPlanSummary(manyResources(3), 10_000)).not.toContain("left out");
  });
});

describe("renderPlanText", () => {
  it("puts the rendered plan in a code block", () => {
    const text = renderPlanText(RENDERED);
    expect(text.startsWith("```\nTerraform used the selected providers")).toBe(true);
    expect(text.endsWith("  + token        = (sensitive value)\n```")).toBe(true);
  });

  it("uses a fence longer than any run of backticks in the plan, so the plan cannot close it", () => {
    expect(renderPlanText('input = "````"\n')).toBe('`````\ninput = "````"\n`````');
  });

  it("cuts a long plan at a line end with a note, within the budget", () => {
    const text = renderPlanText(RENDERED.repeat(1_000));
    expect(text.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(text).toMatch(/\n\[… \d+ more characters of the plan left out to fit; the saved plan has all of it\]\n```$/);
  });
});

describe("renderPlanDetails", () => {
  it("collapses the table and the plan under a summary line naming the stage", () => {
    const details = renderPlanDetails("prod <eu>", MIXED, RENDERED);
    expect(details.startsWith("<details><summary>Terraform plan for <b>prod &lt;eu&gt;</b>: 3 to add, 1 to change, 2 to destroy (1 replaced, 1 to forget)</summary>\n\n**Terraform 1.11.4**")).toBe(true);
    expect(details).toContain("| ~ | update | `terraform_data.updated` |\n| + | create | output `function_url` |");
    expect(details).toContain("\n\n```\nTerraform used the selected providers");
    expect(details.endsWith("```\n\n</details>")).toBe(true);
  });

  it("fits its budget however large the plan is", () => {
    const details = renderPlanDetails("prod", manyResources(20_000), RENDERED.repeat(2_000));
    expect(details.length).toBeLessThanOrEqual(PLAN_DETAILS_BUDGET);
    expect(details).toContain("more changes, left out to fit");
    expect(details).toContain("more characters of the plan left out to fit");
    expect(details.endsWith("```\n\n</details>")).toBe(true);
  });
});
