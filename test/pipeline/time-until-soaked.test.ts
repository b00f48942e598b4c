import { describe, expect, it } from "vitest";
import { timeUntilSoaked } from "../../src/pipeline/time-until-soaked.js";
import type { Freight, PipelineStage } from "../../src/pipeline/types.js";

const now = new Date("2026-12-02T10:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const uat: PipelineStage = { name: "uat", requestedFreight: [{ origin: { kind: "Warehouse", name: "app" }, sources: { stages: ["dev"], requiredSoakTime: "1h" } }] };
const freight = (name: string, status: Freight["status"], warehouse = "app"): Freight => ({ name: name.repeat(40).slice(0, 40), origin: { kind: "Warehouse", name: warehouse }, createdAt: minutesAgo(120), status });

describe("timeUntilSoaked", () => {
  it("is the time left for the freight closest to its soak in an upstream it still runs in", () => {
    const list = [
      freight("a", { verifiedIn: { dev: { verifiedAt: minutesAgo(20) } }, currentlyIn: { dev: { since: minutesAgo(25) } } }),
      freight("b", { verifiedIn: { dev: { verifiedAt: minutesAgo(50) } }, currentlyIn: { dev: { since: minutesAgo(55) } } }),
    ];
    expect(timeUntilSoaked(uat, list, now)).toBe(10 * 60_000);
  });

  it("is undefined when nothing is soaking: soaked already, left the stage, other warehouse, or no soak asked", () => {
    expect(timeUntilSoaked(uat, [freight("a", { verifiedIn: { dev: { verifiedAt: minutesAgo(90) } }, currentlyIn: { dev: { since: minutesAgo(90) } } })], now)).toBeUndefined();
    expect(timeUntilSoaked(uat, [freight("a", { verifiedIn: { dev: { verifiedAt: minutesAgo(10) } } })], now)).toBeUndefined();
    expect(timeUntilSoaked(uat, [freight("a", { verifiedIn: { dev: { verifiedAt: minutesAgo(10) } }, currentlyIn: { dev: { since: minutesAgo(10) } } }, "other")], now)).toBeUndefined();
    const noSoak: PipelineStage = { name: "uat", requestedFreight: [{ origin: { kind: "Warehouse", name: "app" }, sources: { stages: ["dev"] } }] };
    expect(timeUntilSoaked(noSoak, [freight("a", { verifiedIn: { dev: { verifiedAt: minutesAgo(10) } }, currentlyIn: { dev: { since: minutesAgo(10) } } })], now)).toBeUndefined();
  });
});
