import { describe, expect, it } from "vitest";
import { availableFreight } from "../../src/pipeline/available-freight.js";
import type { FreightStatus, PipelineStage, RequestedFreight } from "../../src/pipeline/types.js";
import { makeFreight } from "./support/make-freight.js";

const now = new Date("2026-11-10T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const app = { kind: "Warehouse", name: "app" };

function stage(name: string, sources: RequestedFreight["sources"], extra: Partial<PipelineStage> = {}): PipelineStage {
  return { name, requestedFreight: [{ origin: app, sources }], ...extra };
}

const dev = stage("dev", { direct: true });
const uat = stage("uat", { stages: ["dev"], requiredSoakTime: "1h" });
const prod = stage("prod", { stages: ["uat"] });
const stages = [dev, uat, prod];

function aliasesFor(target: PipelineStage, status: FreightStatus, all: PipelineStage[] = stages): string[] {
  return availableFreight(target, all, [makeFreight("aa", "subject", { status })], now).map((f) => f.alias ?? "");
}

describe("availableFreight", () => {
  it.each<[string, PipelineStage, FreightStatus, boolean]>([
    ["new freight to a direct stage", dev, {}, true],
    ["new freight to a downstream stage", uat, {}, false],
    ["verified upstream but not soaked", uat, { verifiedIn: { dev: { verifiedAt: hoursAgo(0.5) } }, currentlyIn: { dev: { since: hoursAgo(1) } } }, false],
    ["verified upstream and soaked while still there", uat, { verifiedIn: { dev: { verifiedAt: hoursAgo(2) } }, currentlyIn: { dev: { since: hoursAgo(3) } } }, true],
    ["verified, left upstream before soaking", uat, { verifiedIn: { dev: { verifiedAt: hoursAgo(5), longestSoak: 30 * 60_000 } } }, false],
    ["verified, left upstream after a long enough soak", uat, { verifiedIn: { dev: { verifiedAt: hoursAgo(5), longestSoak: 2 * 3_600_000 } } }, true],
    ["verified long ago, came back upstream a moment ago", uat, { verifiedIn: { dev: { verifiedAt: hoursAgo(9) } }, currentlyIn: { dev: { since: hoursAgo(0.2) } } }, false],
    ["verified upstream with no soak required", prod, { verifiedIn: { uat: { verifiedAt: hoursAgo(0) } } }, true],
    ["approved by hand, never verified", prod, { approvedFor: { prod: { approvedAt: hoursAgo(0) } } }, true],
    ["approved for another stage", prod, { approvedFor: { uat: { approvedAt: hoursAgo(0) } } }, false],
    ["verified two stages up only", prod, { verifiedIn: { dev: { verifiedAt: hoursAgo(9) } } }, false],
  ])("%s", (_label, target, status, available) => {
    expect(aliasesFor(target, status)).toEqual(available ? ["subject"] : []);
  });

  const fanIn = stage("prod", { stages: ["uat-eu", "uat-us"], availabilityStrategy: "All" });
  const oneOf = stage("prod", { stages: ["uat-eu", "uat-us"] });
  it.each<[string, PipelineStage, FreightStatus, boolean]>([
    ["All: verified in one of two", fanIn, { verifiedIn: { "uat-eu": { verifiedAt: hoursAgo(1) } } }, false],
    ["All: verified in both", fanIn, { verifiedIn: { "uat-eu": { verifiedAt: hoursAgo(1) }, "uat-us": { verifiedAt: hoursAgo(1) } } }, true],
    ["OneOf: verified in one of two", oneOf, { verifiedIn: { "uat-us": { verifiedAt: hoursAgo(1) } } }, true],
  ])("availabilityStrategy %s", (_label, target, status, available) => {
    expect(aliasesFor(target, status)).toEqual(available ? ["subject"] : []);
  });

  it("passes freight through a control-flow stage that verifies nothing", () => {
    const gate = stage("gate", { stages: ["dev"] }, { controlFlow: true });
    const after = stage("prod-eu", { stages: ["gate"] });
    const all = [dev, gate, after];
    expect(aliasesFor(after, { verifiedIn: { dev: { verifiedAt: hoursAgo(1) } } }, all)).toEqual(["subject"]);
    expect(aliasesFor(after, {}, all)).toEqual([]);
  });

  it("does not pass freight through an ordinary upstream that has not verified it", () => {
    expect(aliasesFor(prod, { verifiedIn: { dev: { verifiedAt: hoursAgo(1) } } })).toEqual([]);
  });

  it("stops on a cycle of control-flow stages instead of recursing forever", () => {
    const a = stage("a", { stages: ["b"] }, { controlFlow: true });
    const b = stage("b", { stages: ["a"] }, { controlFlow: true });
    expect(aliasesFor(a, {}, [a, b])).toEqual([]);
  });

  it("takes only freight from the warehouses the stage requests", () => {
    const other = makeFreight("bb", "other-origin", { warehouse: "docs" });
    expect(availableFreight(dev, stages, [other], now)).toEqual([]);
  });

  it("lists the newest freight first", () => {
    const list = [
      makeFreight("01", "old", { createdAt: "2026-11-01T00:00:00Z" }),
      makeFreight("03", "newest", { createdAt: "2026-11-03T00:00:00Z" }),
      makeFreight("02", "middle", { createdAt: "2026-11-02T00:00:00Z" }),
    ];
    expect(availableFreight(dev, stages, list, now).map((f) => f.alias)).toEqual(["newest", "middle", "old"]);
  });

  it("names the stage and field of a broken requiredSoakTime", () => {
    const broken = stage("uat", { stages: ["dev"], requiredSoakTime: "an hour" });
    expect(() => aliasesFor(broken, { verifiedIn: { dev: { verifiedAt: hoursAgo(1) } } })).toThrow(
      'stage uat: requestedFreight[0].sources.requiredSoakTime: "an hour" is not a duration; write it like 30s, 5m or 1h30m',
    );
  });
});
