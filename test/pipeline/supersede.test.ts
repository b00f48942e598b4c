import { describe, expect, it } from "vitest";
import { supersede, type IncomingPromotion, type OpenPromotion } from "../../src/pipeline/supersede.js";

const app = { kind: "Warehouse", name: "app" };
const freight = (alias: string, day: number, origin = app) => ({
  name: `${alias}-id`,
  alias,
  createdAt: `2026-11-0${day}T00:00:00Z`,
  origin,
});
const open = (pullRequest: number, stage: string, f: OpenPromotion["freight"], merged = false): OpenPromotion => ({
  id: `shop/${stage}/${f.name}`,
  stage,
  pullRequest,
  freight: f,
  merged,
});

const oldProd = open(10, "prod", freight("old", 1));
const newProd = open(11, "prod", freight("new", 5));
const oldUat = open(12, "uat", freight("old", 1));

function decide(openPromotions: OpenPromotion[], incoming: IncomingPromotion) {
  const decision = supersede(openPromotions, incoming);
  return { start: decision.start, close: decision.close.map((p) => p.pullRequest), reason: decision.reason };
}

describe("supersede", () => {
  it.each<[string, OpenPromotion[], IncomingPromotion, boolean, number[], string]>([
    ["nothing open", [], { stage: "prod", freight: freight("mid", 3), manual: false }, true, [], "no other promotion is open for prod"],
    ["only other stages open", [oldUat], { stage: "prod", freight: freight("mid", 3), manual: false }, true, [], "no other promotion is open for prod"],
    ["older freight open", [oldProd, oldUat], { stage: "prod", freight: freight("mid", 3), manual: false }, true, [10], "mid supersedes #10"],
    ["newer freight open", [newProd], { stage: "prod", freight: freight("mid", 3), manual: false }, false, [], "#11 (new) is not older than mid; it stays open"],
    ["newer freight open, but a person asked", [newProd], { stage: "prod", freight: freight("mid", 3), manual: true }, true, [11], "mid supersedes #11"],
    ["the same freight open", [oldProd], { stage: "prod", freight: freight("old", 1), manual: true }, false, [], "old is already being promoted to prod in #10"],
    ["a merged promotion rolling out", [open(13, "prod", freight("old", 1), true)], { stage: "prod", freight: freight("mid", 3), manual: true }, false, [], "#13 (old) is merged and still rolling out to prod; mid waits for it"],
    ["older freight of another warehouse", [open(14, "prod", freight("chart", 1, { kind: "Warehouse", name: "charts" }))], { stage: "prod", freight: freight("mid", 3), manual: false }, false, [], "#14 (chart) promotes freight of warehouse charts to prod; mid waits for it"],
  ])("%s", (_label, openPromotions, incoming, start, close, reason) => {
    expect(decide(openPromotions, incoming)).toEqual({ start, close, reason });
  });
});
