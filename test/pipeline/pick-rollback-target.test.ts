import { describe, expect, it } from "vitest";
import { pickRollbackTarget } from "../../src/pipeline/pick-rollback-target.js";
import { makeFreight } from "./support/make-freight.js";

const verified = (at: string) => ({ verifiedAt: at });
const v1 = makeFreight("01", "v1", { status: { verifiedIn: { prod: verified("2026-11-01T00:00:00Z") } } });
const v2 = makeFreight("02", "v2", { status: { verifiedIn: { prod: verified("2026-11-02T00:00:00Z") } } });
const unverified = makeFreight("03", "v3", { status: { verifiedIn: { uat: verified("2026-11-03T00:00:00Z") } } });
const current = makeFreight("04", "v4", {
  status: { verifiedIn: { prod: verified("2026-11-04T00:00:00Z") }, currentlyIn: { prod: { since: "2026-11-04T00:00:00Z" } } },
});

describe("pickRollbackTarget", () => {
  it("picks the most recently verified freight other than the current one", () => {
    expect(pickRollbackTarget("prod", [v1, v2, unverified, current])).toEqual({ ok: true, freight: v2 });
  });

  it("takes the freight named if it was verified in the stage", () => {
    expect(pickRollbackTarget("prod", [v1, v2, current], v1)).toEqual({ ok: true, freight: v1 });
  });

  it.each([
    ["freight never verified there", unverified, "v3 was never verified in prod, so it is no rollback target. Use `/promote prod v3` to promote it anyway."],
    ["the freight the stage runs", current, "prod already runs v4; nothing to roll back to."],
  ])("refuses %s", (_label, requested, message) => {
    expect(pickRollbackTarget("prod", [v1, current], requested)).toEqual({ ok: false, message });
  });

  it("says what to do when there is nothing to go back to", () => {
    expect(pickRollbackTarget("prod", [unverified, current])).toEqual({
      ok: false,
      message: "No earlier freight was verified in prod; promote one by hand with `/promote prod <freight>`.",
    });
  });
});
