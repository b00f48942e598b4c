import { describe, expect, it } from "vitest";
import { pickFreightToPromote } from "../../src/commands/pick-freight-to-promote.js";
import { makeFreight } from "../pipeline/support/make-freight.js";

const older = makeFreight("a1b2c3d4", "older", { tag: "1.4.0" });
const newer = makeFreight("b1b2c3d4", "newer", { tag: "1.5.0" });
const unverified = makeFreight("c1b2c3d4", "fresh", { tag: "1.6.0" });
const available = [newer, older];
const all = [unverified, newer, older];

describe("pickFreightToPromote", () => {
  it.each([
    ["nothing named: the newest available", undefined, "newer"],
    ["an alias", "older", "older"],
    ["a tag", "1.4.0", "older"],
    ["an ID prefix", "a1b2c3d", "older"],
  ])("%s", (_label, ref, alias) => {
    const picked = pickFreightToPromote("prod", ref, available, all);
    expect(picked.ok && picked.freight.alias).toBe(alias);
  });

  it("refuses freight that exists but is not available to the stage, and says how to make it so", () => {
    expect(pickFreightToPromote("prod", "1.6.0", available, all)).toEqual({
      ok: false,
      message: "fresh is not available to prod yet. `/status` shows where each freight stands; `/approve <freight> prod` makes one available by hand.",
    });
  });

  it("says so when nothing is available", () => {
    expect(pickFreightToPromote("prod", undefined, [], all)).toEqual({
      ok: false,
      message: "No freight is available to prod yet. `/status` shows where each freight stands; `/approve <freight> prod` makes one available by hand.",
    });
  });

  it("passes the resolver's answer on for freight that does not exist", () => {
    const picked = pickFreightToPromote("prod", "sleepy-sloth", available, all);
    expect(picked).toMatchObject({ ok: false, message: expect.stringContaining("No freight known to this project matches `sleepy-sloth`.") });
  });
});
