import { describe, expect, it } from "vitest";
import { parseComment } from "../../src/commands/parse-comment.js";
import { diffTickedCheckboxes } from "../../src/render/diff-ticked-checkboxes.js";
import { MAX_PROMOTABLE_PER_STAGE, renderDashboard, renderStatus, type DashboardView } from "../../src/render/render-dashboard.js";
import { makeFreight } from "../pipeline/support/make-freight.js";

const v14 = makeFreight("aa", "wiggly-tuatara", { tag: "1.4.0" });
const v15 = makeFreight("bb", "brave-okapi", { tag: "1.5.0" });
const v16 = makeFreight("cc", "calm-heron", { tag: "1.6.0" });

const view: DashboardView = {
  project: "shop",
  stages: [
    { name: "dev", health: "Healthy", current: v16, available: [v16, v15, v14], openPromotions: [] },
    { name: "uat", health: "Progressing", current: v14, available: [v15], openPromotions: [{ pullRequest: 12, alias: "brave-okapi", freight: v15.name }] },
    { name: "prod", health: "Unknown", available: [], openPromotions: [] },
  ],
};

describe("renderDashboard", () => {
  const body = renderDashboard(view);

  it("shows each stage's health, current freight and open promotions", () => {
    expect(body).toContain("## 🟢 dev\n- Health: Healthy\n- Running: **calm-heron** (1.6.0)\n");
    expect(body).toContain("## 🔄 uat\n- Health: Progressing\n- Running: **wiggly-tuatara** (1.4.0)\n- Open promotions: #12 (**brave-okapi**)\n");
    expect(body).toContain("## ⚪ prod\n- Health: Unknown\n- Running: nothing yet\n- No other freight is available to prod.\n");
  });

  it("offers a checkbox per promotable freight, leaving out what runs and what is already open", () => {
    const boxes = body.split("\n").filter((line) => line.startsWith("- [ ]"));
    expect(boxes).toEqual([
      `- [ ] <!-- promote:dev:${v15.name} --> Promote brave-okapi to dev`,
      `- [ ] <!-- promote:dev:${v14.name} --> Promote wiggly-tuatara to dev`,
    ]);
  });

  it(`offers at most ${MAX_PROMOTABLE_PER_STAGE} per stage and says how many more there are`, () => {
    const many = Array.from({ length: 9 }, (_, i) => makeFreight(`d${i}`, `old-${i}`));
    const crowded = renderDashboard({ project: "shop", stages: [{ name: "dev", health: "Healthy", available: many, openPromotions: [] }] });
    expect(crowded.match(/- \[ \]/g)).toHaveLength(MAX_PROMOTABLE_PER_STAGE);
    expect(crowded).toContain("- … and 4 older freight");
  });

  it("round-trips: ticking a rendered box yields that promotion", () => {
    const ticked = body.replace(`- [ ] <!-- promote:dev:${v14.name}`, `- [x] <!-- promote:dev:${v14.name}`);
    expect(diffTickedCheckboxes(body, ticked)).toEqual([{ stage: "dev", freight: v14.name }]);
  });

  it("renders /status without checkboxes", () => {
    const status = renderStatus(view);
    expect(status).not.toContain("[ ]");
    expect(status).toContain("- Available: **brave-okapi** (1.5.0), **wiggly-tuatara** (1.4.0)");
  });

  it("escapes a hostile alias and runs no command if read back", () => {
    const hostile = makeFreight("ee", "<img src=x>/promote", { tag: "x" });
    const rendered = renderDashboard({ project: "shop", stages: [{ name: "dev", health: "Healthy", available: [hostile], openPromotions: [] }] });
    expect(rendered).not.toContain("<img");
    expect(parseComment(rendered)).toEqual([]);
  });
});
