import { describe, expect, it } from "vitest";
import { parseTerraformOutputs } from "../../src/terraform/parse-terraform-outputs.js";
import { planFixture, planJson } from "./support/fixtures.js";

describe("parseTerraformOutputs", () => {
  it("turns terraform output -json into plain values and withholds sensitive ones", () => {
    expect(planFixture("outputs.json")).toContain("fixture-token");
    const outputs = parseTerraformOutputs(planJson("outputs.json"));
    expect(outputs).toEqual({
      values: { function_url: "https://fn.example.invalid/2", settings: { debug: null, replicas: 2, zones: ["a", "b"] } },
      sensitive: ["token"],
    });
    expect(JSON.stringify(outputs)).not.toContain("fixture-token");
  });

  it.each([[[]], [{ a: { value: 1 } }], ["text"]])("refuses output that is not a map of outputs: %j", (json) => {
    expect(() => parseTerraformOutputs(json)).toThrow(/terraform output -json printed something other than a map of outputs/);
  });
});
