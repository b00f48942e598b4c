import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function templateFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "preview-pr-")), "template.hbs");
  await writeFile(file, text);
  return file;
}

describe("stagecoach preview-pr", () => {
  it("renders the default pull request for example freight", async () => {
    const result = await run(["preview-pr", "--stage", "uat"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("title:  Promote wiggly-tuatara to uat\nlabels: stage:uat, freight:wiggly-tuatara, warehouse:app\nbranch: stagecoach/promotion/shop/uat/3f2a9c1d5e7b\n");
    expect(result.out).toContain("- `docker.io/acme/shop`: 1.4.2 → **1.5.0**");
    expect(result.out).toContain("<!-- stagecoach:metadata {");
  });

  it("renders templates from files", async () => {
    const title = await templateFile("Ship {{alias}} to {{stage}}");
    const body = await templateFile("{{#each images}}{{repoURL}}:{{tag}}{{/each}}");
    const result = await run(["preview-pr", "--title", title, "--body", body]);
    expect(result.out).toContain("title:  Ship wiggly-tuatara to prod");
    expect(result.out).toContain("\n\ndocker.io/acme/shop:1.5.0\n\n<!-- stagecoach:metadata");
  });

  it("exits 1 naming the field, line and column of a broken template", async () => {
    const body = await templateFile("ok\n  {{> partial}}");
    const result = await run(["preview-pr", "--body", body]);
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `${body}: the template does not compile at line 2, column 3: partials are not allowed.`,
    });
  });
});
