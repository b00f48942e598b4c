import { describe, expect, it } from "vitest";
import { finishesWithin } from "./support/finishes-within.js";

type Checked = { valid: boolean; bytes: number; diagnostics: number; first?: string };

// Issue 10, item 5: a config with 20,000 keys took 12 s to check and 50,000 keys 157 s (yaml's
// duplicate-key check compares each key with all before it; the file was parsed twice; each
// report searched the mapping again). The check runs for any pull request that touches the
// config, forks too, so it must stay linear in the file (at most 1 MB). Each case takes a second
// or two now and minutes before; 30 s is the generous "did not stall" line.
describe("checking a large hostile config", () => {
  it("reads 50,000 distinct keys in one pass, one warning each", async () => {
    const checked = await finishesWithin<Checked>(30, "checkConfig", "distinctKeys", 50_000);
    expect(checked).toMatchObject({ valid: true, diagnostics: 50_000, first: "k0: unsupported field, ignored (remove it, or check its spelling)" });
  });

  it("keeps the last of 50,000 repetitions of one key, warning at each", async () => {
    const checked = await finishesWithin<Checked>(30, "checkConfig", "repeatedKey", 50_000);
    expect(checked.diagnostics).toBe(50_000);
    expect(checked.first).toBe('key "k" is set again here (it was set on line 3): the value on line 4 is used and the one on line 3 ignored, as Kargo\'s YAML reader does; remove one of them');
  });

  it("reports 20,000 stages with a broken from: without comparing every name with every other", async () => {
    const checked = await finishesWithin<Checked>(30, "checkConfig", "brokenStages", 20_000);
    expect(checked.valid).toBe(false);
    expect(checked.bytes).toBeLessThan(1024 * 1024);
    expect(checked.diagnostics).toBe(20_000);
    expect(checked.first).toMatch(/^from: "missing0" is neither a warehouse nor a stage; known warehouses and stages: s0, s1, /);
  });
});
