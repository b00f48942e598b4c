import { describe, expect, it } from "vitest";
import { decideAutoPromotion } from "../../src/pipeline/decide-auto-promotion.js";
import type { Freight, PipelineStage, RequestedFreight } from "../../src/pipeline/types.js";
import { makeFreight } from "./support/make-freight.js";

const now = new Date("2026-11-10T12:00:00Z");
const app = { kind: "Warehouse", name: "app" };
const verifiedInDev = { dev: { verifiedAt: "2026-11-09T00:00:00Z" } };

function stage(name: string, sources: RequestedFreight["sources"], autoPromotionEnabled = true): PipelineStage {
  return { name, requestedFreight: [{ origin: app, sources }], autoPromotionEnabled };
}

const dev = stage("dev", { direct: true });
const older = makeFreight("01", "older", { createdAt: "2026-11-01T00:00:00Z", status: { verifiedIn: verifiedInDev } });
const newer = makeFreight("02", "newer", { createdAt: "2026-11-02T00:00:00Z", status: { verifiedIn: verifiedInDev } });

function decide(target: PipelineStage, freight: Freight[], hold?: { since: string; reason: string }) {
  return decideAutoPromotion({ stage: target, stages: [dev, target], freight, now, hold });
}

describe("decideAutoPromotion", () => {
  it("promotes the newest available freight by default", () => {
    expect(decide(dev, [older, newer])).toEqual([
      { action: "promote", origin: app, freight: newer, reason: "NewestFreight: newer for dev" },
    ]);
  });

  it("waits when auto-promotion is off, and says how to promote by hand", () => {
    expect(decide(stage("dev", { direct: true }, false), [newer])).toEqual([
      { action: "wait", reason: "auto-promotion is off for dev; promote with `/promote dev`" },
    ]);
  });

  it("waits while the stage is held", () => {
    const [decision] = decide(dev, [newer], { since: "2026-11-09T10:00:00Z", reason: "rollback by @alice" });
    expect(decision).toEqual({
      action: "wait",
      reason: "auto-promotion is held on dev since 2026-11-09T10:00:00Z (rollback by @alice); promote by hand to move on",
    });
  });

  it("waits when the stage already runs the pick", () => {
    const running = { ...newer, status: { currentlyIn: { dev: { since: "2026-11-09T00:00:00Z" } } } };
    expect(decide(dev, [older, running])).toEqual([{ action: "wait", origin: app, reason: "dev already runs newer" }]);
  });

  it("waits when nothing is available", () => {
    expect(decide(stage("uat", { stages: ["dev"] }), [makeFreight("03", "fresh")])).toEqual([
      { action: "wait", origin: app, reason: "no freight is available yet" },
    ]);
  });

  it("MatchUpstream picks what the upstream stage runs, not the newest", () => {
    const inDev = { ...older, status: { ...older.status, currentlyIn: { dev: { since: "2026-11-09T00:00:00Z" } } } };
    const uat = stage("uat", { stages: ["dev"], autoPromotionOptions: { selectionPolicy: "MatchUpstream" } });
    expect(decide(uat, [inDev, newer])).toMatchObject([{ action: "promote", freight: { alias: "older" } }]);
    expect(decide(uat, [older, newer])).toEqual([
      { action: "wait", origin: app, reason: "nothing dev runs is available to uat yet" },
    ]);
  });

  it("MatchUpstream refuses a stage with several upstreams and says what to change", () => {
    const prod = stage("prod", { stages: ["a", "b"], autoPromotionOptions: { selectionPolicy: "MatchUpstream" } });
    expect(decide(prod, [newer])[0]?.reason).toBe(
      "selectionPolicy MatchUpstream needs exactly one upstream stage in sources.stages (found 2); use NewestFreight or list one stage",
    );
  });

  it("decides for each requested warehouse on its own", () => {
    const charts = { kind: "Warehouse", name: "charts" };
    const both: PipelineStage = {
      name: "dev",
      autoPromotionEnabled: true,
      requestedFreight: [
        { origin: app, sources: { direct: true } },
        { origin: charts, sources: { direct: true } },
      ],
    };
    const chart = makeFreight("04", "chart-only", { warehouse: "charts" });
    expect(decide(both, [newer, chart]).map((d) => [d.origin?.name, d.action, d.action === "promote" && d.freight.alias])).toEqual([
      ["app", "promote", "newer"],
      ["charts", "promote", "chart-only"],
    ]);
  });
});
