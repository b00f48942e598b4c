import { describe, expect, it } from "vitest";
import { pickFreightAlias } from "../../src/freight/pick-freight-alias.js";

describe("pickFreightAlias", () => {
  it("derives the same adjective-animal alias from the same ID", () => {
    const id = "6061773aa35e02e9da52c06f8f6848d13b371eca";
    expect(pickFreightAlias(id, new Set())).toMatch(/^[a-z]+-[a-z]+$/);
    expect(pickFreightAlias(id, new Set())).toBe(pickFreightAlias(id, new Set()));
  });

  it("never returns an alias the project already uses", () => {
    const taken = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const alias = pickFreightAlias(`id-${i}`, taken);
      expect(taken.has(alias)).toBe(false);
      taken.add(alias);
    }
    expect(taken.size).toBe(5000);
  });
});
