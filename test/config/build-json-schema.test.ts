import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildJsonSchema } from "../../src/config/build-json-schema.js";
import { fixture } from "./support.js";

const committed = JSON.parse(readFileSync(new URL("../../schema/stagecoach.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;

describe("schema/stagecoach.schema.json", () => {
  it("is what the zod schema generates (regenerate with: npx tsx schema/write-schema.ts)", () => {
    expect(committed).toEqual(buildJsonSchema());
  });

  it("lets an editor accept the good pipeline and flag the mistakes in a bad one", () => {
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(committed);
    expect(validate(parse(fixture("good/pipeline/.github/stagecoach.yml").text))).toBe(true);
    expect(validate(parse(fixture("hostile/bad-schema.yml").text))).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(["/warehouses/0/subscriptions/0/image/imageSelectionStrategy", "/stages/0/github/mergeMethod"]));
  });
});
