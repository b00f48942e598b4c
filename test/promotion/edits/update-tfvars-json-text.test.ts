import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HCL_BUDGET } from "../../../src/promotion/edits/parse-hcl.js";
import type { HclUpdate } from "../../../src/promotion/edits/update-hcl-text.js";
import { updateTfvarsJsonText } from "../../../src/promotion/edits/update-tfvars-json-text.js";
import { readVariablesWithTerraform } from "../../terraform/support/terraform-cli.js";

const ORIGINAL = readFileSync(new URL("../../fixtures/terraform/edits/prod.tfvars.json", import.meta.url), "utf8");
const set = (text: string, ...updates: HclUpdate[]) => updateTfvarsJsonText(text, updates, "prod.tfvars.json");

function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  return after.split("\n").filter((line, i) => a[i] !== line);
}

describe("updateTfvarsJsonText", () => {
  it("changes only the targeted values, keeping alignment and one-line lists", () => {
    const after = set(
      ORIGINAL,
      { key: "lambda_image_tag", value: "1.4.0" },
      { key: "memory_mb", value: 1024 },
      { key: "subnets[1]", value: "subnet-0e3f" },
      { key: "tags.version", value: "1.4.0" },
    );
    expect(changedLines(ORIGINAL, after)).toEqual([
      '  "lambda_image_tag": "1.4.0",',
      '  "memory_mb": 1024,',
      '  "subnets": ["subnet-0a1b", "subnet-0e3f"],',
      '    "version": "1.4.0"',
    ]);
    expect(after.split("\n")).toHaveLength(ORIGINAL.split("\n").length);
  });

  it("adds a missing key only when told to, in the file's indentation", () => {
    expect(() => set(ORIGINAL, { key: "tags.owner", value: "sre" })).toThrow(
      'prod.tfvars.json: "tags.owner" not found: "tags" at line 6, column 11 has no key "owner"; check the key, or pass add: true to add it',
    );
    const after = set(ORIGINAL, { key: "tags.owner", value: "sre", add: true });
    expect(after).toBe(ORIGINAL.replace('    "version": "1.3.0"\n', '    "version": "1.3.0",\n    "owner": "sre"\n'));
    const tabs = set('{\n\t"a": 1\n}\n', { key: "b.c", value: [1], add: true });
    expect(tabs).toBe('{\n\t"a": 1,\n\t"b": {\n\t\t"c": [\n\t\t\t1\n\t\t]\n\t}\n}\n');
  });

  it("Terraform reads back the values written", async () => {
    const after = set(ORIGINAL, { key: "lambda_image_tag", value: 'a "b" ${c}' }, { key: "inline.b", value: null, add: true });
    expect(await readVariablesWithTerraform(after, ["lambda_image_tag", "inline", "subnets"], "test.tfvars.json")).toEqual({
      lambda_image_tag: 'a "b" ${c}',
      inline: { a: 1, b: null },
      subnets: ["subnet-0a1b", "subnet-0c2d"],
    });
  });

  it.each<[string, HclUpdate, string | RegExp]>([
    ['{"a": [1]}', { key: "a[1]", value: 2 }, /"a" has 1 items, so there is no \[1\] \(an edit does not lengthen lists\)/],
    ['{"a": [1]}', { key: "a[1]", value: 2, add: true }, /"a" has 1 items/],
    ['{"a": "x"}', { key: "a.b", value: 2 }, /"a" is a string, not an object, so "a.b" cannot be set/],
    ['{"a": {}}', { key: "a[0]", value: 2 }, /"a" is an object, not a list/],
    ['{"a": {}}', { key: "a.b[0]", value: 2, add: true }, /an edit does not add list items/],
    ['{"a": 1}', { key: "a", value: Number.POSITIVE_INFINITY }, /the value for "a" is Infinity/],
    ['{"a": 1,}', { key: "a", value: 2 }, /prod.tfvars.json is not valid JSON at line 1, column 9 \(PropertyNameExpected\)/],
    ['{"a": 1} // note', { key: "a", value: 2 }, /is not valid JSON at line 1, column 10 \(InvalidCommentToken\)/],
    ["[1]", { key: "a", value: 2 }, /prod.tfvars.json holds a list; a .tfvars.json file is one object/],
  ])("refuses %s with %j", (text, update, message) => {
    expect(() => set(text, update)).toThrow(message);
  });

  it("refuses files over the size and nesting budgets", () => {
    expect(() => set(`{"a": "${"x".repeat(DEFAULT_HCL_BUDGET.maxBytes)}"}`, { key: "a", value: 1 })).toThrow(/more than the 1048576 bytes an edit reads/);
    const deep = `{"a": ${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    expect(() => set(deep, { key: "a", value: 1 })).toThrow(/^prod.tfvars.json nests deeper than 64 levels at line 1, column 70; an edit does not read files nested this deep$/);
  });
});
