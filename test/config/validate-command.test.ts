import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { FIXTURES } from "./support.js";

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["validate", ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("stagecoach validate", () => {
  it("prints one summary line per valid project and exits 0 (checkouts in either form)", async () => {
    const result = await run(join(FIXTURES, "good/pipeline"), join(FIXTURES, "kargo/pipeline"));
    expect(result).toEqual({ code: 0, out: ["guestbook: 1 warehouses, 3 stages, 0 promotion tasks", "guestbook: 1 warehouses, 3 stages, 0 promotion tasks"], err: [] });
  });

  it("prints warning: lines and still exits 0 for a directory of manifests", async () => {
    const result = await run(join(FIXTURES, "kargo/deprecated"));
    expect(result.code).toBe(0);
    expect(result.out.filter((l) => l.includes(": warning: "))).toHaveLength(8);
    expect(result.out.at(-1)).toBe("legacy: 1 warehouses, 1 stages, 0 promotion tasks");
  });

  it("exits 1 with path:line:col: message lines for an invalid file", async () => {
    const path = join(FIXTURES, "hostile/cycle.yml");
    const result = await run(path);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([`${path}:14:5: stages form a cycle: prod → uat → prod (each takes freight from the next); stages must form a DAG, so break one link`]);
  });

  it("uses --repo-url for short forms and refuses paths that hold no config", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stagecoach-validate-"));
    try {
      const file = join(dir, "pipeline.yml");
      await writeFile(file, "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: r } }] }]\nstages: [{ name: dev, from: app, kustomize: { path: env/dev, image: r } }]\n");
      expect((await run(file)).code).toBe(1);
      expect(await run("--repo-url", "https://github.com/acme/gitops", "--project", "shop", file)).toEqual({ code: 0, out: ["shop: 1 warehouses, 1 stages, 0 promotion tasks"], err: [] });
      const empty = join(dir, "empty");
      await (await import("node:fs/promises")).mkdir(empty);
      expect(await run(empty)).toEqual({ code: 1, out: [], err: [`${empty}: no pipeline config here: add .github/stagecoach.yml, or Kargo manifests under .github/stagecoach/`] });
      expect((await run(join(dir, "nope"))).err).toEqual([`${join(dir, "nope")}: no such file or directory`]);
      expect((await run()).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
