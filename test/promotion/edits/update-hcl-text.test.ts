import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HCL_BUDGET } from "../../../src/promotion/edits/parse-hcl.js";
import { updateHclText, type HclUpdate } from "../../../src/promotion/edits/update-hcl-text.js";
import { readVariablesWithTerraform, tempConfig, terraformCli } from "../../terraform/support/terraform-cli.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/terraform/edits/${name}`, import.meta.url), "utf8");
const TFVARS = fixture("prod.tfvars");
const MAIN = fixture("main.tf");

function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  return after.split("\n").filter((line, i) => a[i] !== line);
}

/** The text with `lines` inserted before line `at` (1-based), to state an addition exactly. */
function withLinesAt(text: string, at: number, lines: string[]): string {
  const all = text.split("\n");
  all.splice(at - 1, 0, ...lines);
  return all.join("\n");
}

const set = (text: string, ...updates: HclUpdate[]) => updateHclText(text, updates, "prod.tfvars");
const failure = (promise: Promise<unknown>) => promise.then(() => new Error("no error"), (error: unknown) => error as Error);

describe("updateHclText in a variables file", () => {
  it("changes only the targeted values; comments, alignment, blank lines and the heredoc keep their bytes", async () => {
    const after = await set(
      TFVARS,
      { key: "lambda_image_tag", value: "1.4.0" },
      { key: "memory_mb", value: 1024 },
      { key: "enable_tracing", value: true },
      { key: "subnets[1]", value: "subnet-0e3f" },
      { key: "tags.version", value: "1.4.0" },
      { key: "tags[\"cost-center\"]", value: "cc-43" },
    );
    expect(changedLines(TFVARS, after)).toEqual([
      'lambda_image_tag = "1.4.0"     // set by Stagecoach',
      "memory_mb        = 1024",
      "enable_tracing   = true",
      '  "subnet-0e3f", # az b',
      '  version       = "1.4.0"',
      '  "cost-center" = "cc-43"',
    ]);
    expect(after.split("\n")).toHaveLength(TFVARS.split("\n").length);
  });

  it("leaves the text as it was when the value is already set", async () => {
    expect(await set(TFVARS, { key: "lambda_image_tag", value: "1.3.0" })).toBe(TFVARS);
  });

  it("writes null, lists and objects as canonical one-line literals", async () => {
    const after = await set(
      TFVARS,
      { key: "retired_alias", value: "old" },
      { key: "region", value: null },
      { key: "subnets", value: ["a", "b"] },
      { key: "tags", value: { team: "payments", "cost-center": "cc-1", for: 1, nested: { ok: [true, null, 1.5] } } },
    );
    expect(after).toContain('region           = null # primary region\n');
    expect(after).toContain('retired_alias    = "old"\n');
    expect(after).toContain("\n/* Networking: keep the order,\n   the security team reviews these by position. */\nsubnets = [\"a\", \"b\"]\n\ntags = {");
    expect(after).toContain('tags = { team = "payments", cost-center = "cc-1", "for" = 1, nested = { ok = [true, null, 1.5] } }\n');
  });

  it("Terraform reads back exactly the values written, including strings that look like interpolations", async () => {
    const hostile = 'a "quoted" \\ back\\slash ${var.secret} %{ if true }x%{ endif } $${kept} tab\there\nnew line ünï 😀';
    const after = await set(
      TFVARS,
      { key: "lambda_image_tag", value: hostile },
      { key: "memory_mb", value: -2.5 },
      { key: "tags", value: { "a b": ["${x}", 1e21], "cost-center": 1, for: { null: false } } },
      { key: "banner", value: "Checkout moved.\n\n  Indented line.\n" },
    );
    expect(after).toContain("banner = <<-EOT\n  Checkout moved.\n\n    Indented line.\n  EOT\n");
    const read = await readVariablesWithTerraform(after, ["lambda_image_tag", "memory_mb", "tags", "banner", "retired_alias", "subnets"]);
    expect(read).toEqual({
      lambda_image_tag: hostile,
      memory_mb: -2.5,
      tags: { "a b": ["${x}", 1e21], "cost-center": 1, for: { null: false } },
      banner: "Checkout moved.\n\n  Indented line.\n",
      retired_alias: null,
      subnets: ["subnet-0a1b", "subnet-0c2d"],
    });
  });

  it("writes a quoted string over a heredoc when a heredoc cannot carry the value exactly", async () => {
    const after = await set(TFVARS, { key: "banner", value: "no final newline" });
    expect(after).toContain('banner = "no final newline"\n');
    const indented = await set(TFVARS, { key: "banner", value: "  every line\n  indented\n" });
    expect(indented).toContain('banner = "  every line\\n  indented\\n"\n');
  });

  it("adds a missing top-level key on a new last line, aligned with the line above", async () => {
    const after = await set(TFVARS, { key: "timeout_s", value: 30, add: true });
    expect(after).toBe(`${TFVARS}timeout_s = 30\n`);
    const aligned = await set("region           = \"eu\"\nlambda_image_tag = \"1\"\n", { key: "memory_mb", value: 1, add: true });
    expect(aligned).toBe('region           = "eu"\nlambda_image_tag = "1"\nmemory_mb        = 1\n');
    expect(await set("a = 1", { key: "b", value: 2, add: true })).toBe("a = 1\nb = 2\n");
    expect(await set("", { key: "b", value: 2, add: true })).toBe("b = 2\n");
  });

  it("adds a key inside an object before its closing brace, with the object's indentation and alignment", async () => {
    const after = await set(TFVARS, { key: "tags.owner", value: "sre", add: true });
    expect(after).toBe(withLinesAt(TFVARS, 21, ['  owner         = "sre"']));
    expect(await set('tags = { a = 1 }\n', { key: "tags.b", value: 2, add: true })).toBe("tags = { a = 1, b = 2 }\n");
    expect(await set('tags = { a = 1, }\n', { key: "tags.b", value: 2, add: true })).toBe("tags = { a = 1, b = 2, }\n");
    expect(await set("tags = {}\n", { key: "tags.b", value: 2, add: true })).toBe("tags = { b = 2 }\n");
    expect(await set("tags = {\n  a = 1,\n}\n", { key: "tags.b.c", value: "x", add: true })).toBe('tags = {\n  a = 1,\n  b = { c = "x" },\n}\n');
  });

  it.each<[string, HclUpdate, RegExp]>([
    ["region = \"eu\"\n", { key: "regoin", value: "x" }, /prod.tfvars: "regoin" not found: the top level of the file has no "regoin"; check the key, or pass add: true/],
    ["tags = { a = 1 }\n", { key: "tags.b", value: "x" }, /"tags" at line 1, column 8 has no key "b"; check the key, or pass add: true/],
    ["subnets = [\"a\"]\n", { key: "subnets[3]", value: "x" }, /"subnets" has 1 items, so there is no \[3\] \(an edit does not lengthen lists\)/],
    ["subnets = [\"a\"]\n", { key: "subnets[1]", value: "x", add: true }, /"subnets" has 1 items, so there is no \[1\]/],
    ["region = \"eu\"\n", { key: "region.zone", value: "x" }, /"region" is a string \("eu"\) at line 1, column 10, not an object/],
    ["tags = { a = 1 }\n", { key: "tags[0]", value: "x" }, /"tags" is an object \(\{ a = 1 \}\) at line 1, column 8, not a list/],
    ["a = 1\na = 2\n", { key: "a", value: 3 }, /"a" is set 2 times \(line 1, column 5, line 2, column 5\); remove the duplicates/],
    ["tags = { a = 1 }\n", { key: "tags.b.c", value: "x", add: false }, /has no key "b"/],
    ["x = 1\n", { key: "new.key", value: 1, add: true }, /"new" does not exist in the top level of the file, and add: true creates only the last key/],
    ["x = 1\n", { key: "[\"bad name\"]", value: 1, add: true }, /"bad name" is not a valid attribute name/],
    ["x = 1\n", { key: "x", value: undefined }, /the value for "x" is missing; use a string, number, boolean, null, list or object/],
    ["x = 1\n", { key: "x", value: Number.NaN }, /the value for "x" is NaN, which HCL cannot write/],
    ["x = 1\n", { key: "x", value: new Date(0) }, /the value for "x" is a Date/],
    ["x = 1\n", { key: "x..y", value: 1 }, /prod.tfvars: key "x..y" has an empty part/],
    ["x = 1\n", { key: "x[", value: 1 }, /has a "\[" without its "\]"/],
    ["x = 1\n", { key: "x[y]", value: 1 }, /write a list index as \[0\] or a name as \["name"\]/],
  ])("refuses %j with %j", async (text, update, message) => {
    expect((await failure(set(text, update))).message).toMatch(message);
  });

  it("refuses a file that is not valid HCL, naming the line and column", async () => {
    const error = await failure(set('region = "eu"\ntags = {\n  a = \n}\n', { key: "region", value: "x" }));
    expect(error.message).toMatch(/^prod.tfvars is not valid HCL at line 3, column 3; fix the file first$/);
  });
});

describe("updateHclText in a configuration with blocks", () => {
  const setMain = (...updates: HclUpdate[]) => updateHclText(MAIN, updates, "main.tf");

  it("addresses blocks by type and labels, searching every locals block, and changes nothing else", async () => {
    const after = await setMain(
      { key: "variable.image_tag.default", value: "1.4.0" },
      { key: "locals.image_tag", value: "1.4.0" },
      { key: "locals.labels.version", value: "1.4.0" },
      { key: "module.app.image", value: "registry.example/checkout:1.4.0" },
      { key: "resource.terraform_data.fn.lifecycle.create_before_destroy", value: false },
      { key: "terraform.required_version", value: ">= 1.6.0" },
    );
    expect(changedLines(MAIN, after)).toEqual([
      '  required_version = ">= 1.6.0"',
      '  default     = "1.4.0"',
      '  image_tag = "1.4.0"',
      '    version = "1.4.0"',
      '  image  = "registry.example/checkout:1.4.0"',
      "    create_before_destroy = false",
    ]);
    expect(after.split("\n")).toHaveLength(MAIN.split("\n").length);
  });

  it("refuses to overwrite an expression unless replaceExpression is set", async () => {
    const reference = await failure(setMain({ key: "output.image_tag.value", value: "1.4.0" }));
    expect(reference.message).toBe(
      'main.tf: "output.image_tag.value" at line 49, column 11 is a reference (local.image_tag), not a literal value; replacing it would drop the expression, so pass replaceExpression: true if that is what you want',
    );
    const template = await failure(setMain({ key: "locals.image_ref", value: "x" }));
    expect(template.message).toMatch(/"locals.image_ref" at line 27, column 15 is a string template \("registry.example\/checkout:\$\{var.image_t…\)/);
    const heredoc = await failure(setMain({ key: "locals.notes", value: "x\n" }));
    expect(heredoc.message).toMatch(/"locals.notes" at line 28, column 15 is a heredoc \(<<-EOT {5}Runs \$\{local.service\}/);
    const inside = await failure(setMain({ key: "resource.terraform_data.fn.input.image_uri", value: "x" }));
    expect(inside.message).toMatch(/"resource.terraform_data.fn.input.image_uri" at line 40, column 17 is a reference/);
    const replaced = await setMain({ key: "output.image_tag.value", value: "1.4.0", replaceExpression: true });
    expect(changedLines(MAIN, replaced)).toEqual(['  value = "1.4.0"']);
  });

  it("refuses paths that stop at a block or name a block that is not there", async () => {
    expect((await failure(setMain({ key: "variable.image_tag", value: "x" }))).message).toMatch(
      /"variable.image_tag" names the variable "image_tag" block at line 5, column 1; name an attribute inside it/,
    );
    expect((await failure(setMain({ key: "variable.missing.default", value: "x" }))).message).toMatch(/not found: no variable block has the labels the key names/);
    expect((await failure(setMain({ key: "variable.missing.default", value: "x", add: true }))).message).toMatch(
      /no variable block has the labels "variable.missing.default" names; add: true adds attributes, not blocks, so write the block first/,
    );
    expect((await failure(setMain({ key: "module.app.count", value: 1 }))).message).toMatch(/the module "app" block at line 33, column 1 has no "count"/);
  });

  it("adds an attribute to the first matching block, before its closing brace, in the block's indentation", async () => {
    const after = await setMain({ key: "locals.region", value: "eu-west-1", add: true }, { key: "module.app.memory", value: 512, add: true });
    const expected = withLinesAt(withLinesAt(MAIN, 20, ['  region    = "eu-west-1"']), 37, ["  memory = 512"]);
    expect(after).toBe(expected);
    expect(await updateHclText("locals {\n}\n", [{ key: "locals.a", value: 1, add: true }])).toBe("locals {\n  a = 1\n}\n");
    const oneLine = await failure(updateHclText("locals { a = 1 }\n", [{ key: "locals.b", value: 1, add: true }], "x.tf"));
    expect(oneLine.message).toMatch(/the locals block at line 1, column 1 closes on a line with other text; put its "\}" on a line of its own/);
  });

  it("keeps a file terraform fmt accepts acceptable to terraform fmt through promotion-style edits", async () => {
    const main = await setMain(
      { key: "variable.image_tag.default", value: "1.4.0" },
      { key: "locals.labels.version", value: "1.4.1" },
      { key: "locals.region", value: "eu", add: true },
      { key: "module.app.image", value: "registry.example/checkout:1.4.1" },
    );
    const tfvars = await set(TFVARS, { key: "lambda_image_tag", value: "1.4.1" }, { key: "tags.version", value: "1.4.1" }, { key: "tags.tier", value: "gold", add: true });
    const checked = await terraformReads({ "main.tf": main, "prod.tfvars": tfvars });
    expect(checked.fmt).toMatchObject({ code: 0, stdout: "" });
    expect(checked.validate).toMatchObject({ code: 0, stdout: expect.stringContaining("The configuration is valid.") });
  });

  it("leaves a file Terraform parses and validates after edits that change widths", async () => {
    const main = await setMain(
      { key: "locals.labels", value: { app: "checkout", version: "1.4.0" } },
      { key: "locals.a_much_longer_name", value: [1, 2], add: true },
      { key: "module.app.image", value: "registry.example/checkout:${not-an-interpolation}" },
      { key: "output.image_tag.value", value: { "%{ if": "x" }, replaceExpression: true },
    );
    const tfvars = await set(TFVARS, { key: "subnets[0]", value: "s" }, { key: "banner", value: "x\n" }, { key: "timeout_seconds", value: 3, add: true });
    const checked = await terraformReads({ "main.tf": main, "prod.tfvars": tfvars });
    // Exit code 3 lists files whose layout fmt would change; 2 would be a syntax error.
    expect(checked.fmt.code).toBe(3);
    expect(checked.validate).toMatchObject({ code: 0, stdout: expect.stringContaining("The configuration is valid.") });
  });
});

/** What terraform fmt -check and terraform validate say about the files, next to the module main.tf calls. */
async function terraformReads(files: Record<string, string>) {
  const work = await tempConfig({ ...files, "modules/app/main.tf": 'variable "image" {\n  type = string\n}\n', "plugins/.keep": "" });
  try {
    const fmt = await terraformCli(["fmt", "-check", "-no-color", "."], work.dir);
    const init = await terraformCli(["init", "-input=false", "-no-color", "-backend=false", `-plugin-dir=${work.dir}/plugins`], work.dir);
    expect(init).toMatchObject({ code: 0 });
    return { fmt, validate: await terraformCli(["validate", "-no-color"], work.dir) };
  } finally {
    await work.dispose();
  }
}

describe("updateHclText budgets", () => {
  it("refuses a file larger than the budget", async () => {
    const big = `padding = "${"x".repeat(DEFAULT_HCL_BUDGET.maxBytes)}"\n`;
    expect((await failure(updateHclText(big, [{ key: "padding", value: "y" }], "big.tfvars"))).message).toMatch(
      /^big.tfvars is 1048589 bytes, more than the 1048576 bytes an HCL edit reads; split the file$/,
    );
  });

  it("refuses hostile nesting before walking it", { timeout: 60_000 }, async () => {
    const deep = `x = ${"[".repeat(20_000)}${"]".repeat(20_000)}\ny = 1\n`;
    expect((await failure(updateHclText(deep, [{ key: "y", value: 2 }], "deep.tfvars"))).message).toMatch(
      /^deep.tfvars nests deeper than 64 levels at line 1, column 69; an HCL edit does not read files nested this deep$/,
    );
    const braces = `x = ${"{ a = ".repeat(100)}1${" }".repeat(100)}\n`;
    expect((await failure(updateHclText(braces, [{ key: "x", value: 2 }], "deep.tfvars"))).message).toMatch(/nests deeper than 64 levels/);
    expect(await updateHclText(deep, [{ key: "y", value: 2 }], "deep.tfvars", { ...DEFAULT_HCL_BUDGET, maxNesting: 30_000 })).toMatch(/\ny = 2\n$/);
  });

  it("abandons a parse that runs past its time budget", async () => {
    const spent = { ...DEFAULT_HCL_BUDGET, maxParseMs: -1 };
    const text = Array.from({ length: 2_000 }, (_, i) => `k${i} = "v${i}"`).join("\n");
    expect((await failure(updateHclText(text, [{ key: "k1", value: "x" }], "slow.tfvars", spent))).message).toBe(
      "slow.tfvars took longer than -1 ms to parse as HCL; simplify or split the file",
    );
  });

  it("refuses a value nested too deep to write", async () => {
    let value: unknown = "leaf";
    for (let i = 0; i < 40; i++) value = [value];
    expect((await failure(updateHclText("x = 1\n", [{ key: "x", value }], "v.tfvars"))).message).toMatch(/the value for "x" nests deeper than 32 levels/);
  });

  it("refuses an edit that would nest the file past the budget instead of writing it", async () => {
    let value: unknown = 1;
    for (let i = 0; i < 30; i++) value = [value];
    const error = await failure(updateHclText("x = 1\n", [{ key: "x", value }], "v.tfvars", { ...DEFAULT_HCL_BUDGET, maxNesting: 10 }));
    expect(error.message).toMatch(/^v.tfvars: setting "x" would leave the file unreadable, so it was not changed \(v.tfvars nests deeper than 10 levels/);
  });
});
