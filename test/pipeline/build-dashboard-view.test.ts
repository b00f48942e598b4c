import { describe, expect, it } from "vitest";
import { buildDashboardView } from "../../src/pipeline/build-dashboard-view.js";
import type { Freight, PipelineStage } from "../../src/pipeline/types.js";
import { renderDashboard } from "../../src/render/render-dashboard.js";

const origin = { kind: "Warehouse", name: "app" };
const stages: PipelineStage[] = [
  { name: "dev", requestedFreight: [{ origin, sources: { direct: true } }] },
  { name: "prod", requestedFreight: [{ origin, sources: { stages: ["dev"] } }] },
];
const f = (letter: string, tag: string, status: Freight["status"]): Freight => ({ name: letter.repeat(40), alias: `${letter}-otter`, origin, createdAt: `2026-12-0${tag.at(-1)}T10:00:00Z`, images: [{ repoURL: "ghcr.io/acme/app", tag }], status });

describe("buildDashboardView", () => {
  it("puts together health, what runs, open promotions and what may be promoted, per stage", () => {
    const freight = [f("b", "1.2", { currentlyIn: { dev: { since: "2026-12-02T11:00:00Z" } } }), f("a", "1.1", { verifiedIn: { dev: { verifiedAt: "2026-12-01T11:00:00Z" } }, currentlyIn: { prod: { since: "x" } } })];
    const view = buildDashboardView({
      project: "guestbook",
      stages,
      freight,
      running: new Map([["dev", "b".repeat(40)], ["prod", "a".repeat(40)]]),
      open: [{ id: "guestbook/prod/x", stage: "prod", pullRequest: 9, freight: { name: "c".repeat(40), alias: "c-otter", createdAt: "", origin }, merged: false }],
      health: new Map([["prod", "Healthy"]]),
      now: new Date("2026-12-02T12:00:00Z"),
    });
    expect(view.stages.map((s) => [s.name, s.health, s.current?.alias, s.available.map((a) => a.alias), s.openPromotions.map((p) => p.pullRequest)])).toEqual([
      ["dev", "NotApplicable", "b-otter", ["b-otter", "a-otter"], []],
      ["prod", "Healthy", "a-otter", ["a-otter"], [9]],
    ]);
    const body = renderDashboard(view);
    expect(body).toContain(`- [ ] <!-- promote:dev:${"a".repeat(40)} --> Promote a-otter to dev`);
    expect(body).not.toContain(`promote:prod:${"a".repeat(40)}`);
  });
});
