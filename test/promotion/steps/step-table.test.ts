import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { StepDefinition } from "../../../src/promotion/step-definition.js";
import { STEPS } from "../../../src/promotion/steps/index.js";

const STEPS_DIR = new URL("../../../src/promotion/steps/", import.meta.url);
const stepFiles = readdirSync(STEPS_DIR).filter((file) => file.endsWith(".ts") && file !== "index.ts");

const isStep = (value: unknown): value is StepDefinition => typeof value === "object" && value !== null && "uses" in value && "run" in value && "config" in value;

describe("the step table", () => {
  it.each(stepFiles)("%s defines one step, named after the file, and the table holds it", async (file) => {
    const module = (await import(new URL(file, STEPS_DIR).href)) as Record<string, unknown>;
    const definitions = Object.values(module).filter(isStep);
    expect(definitions.map((d) => d.uses)).toEqual([file.replace(/\.ts$/, "")]);
    expect(STEPS[file.replace(/\.ts$/, "")]).toBe(definitions[0]);
  });

  it("holds nothing but the step files, so a step is one file and one entry", () => {
    expect(Object.keys(STEPS).sort()).toEqual(stepFiles.map((file) => file.replace(/\.ts$/, "")).sort());
  });

  it("finds no step for names Object.prototype carries", () => {
    expect(["constructor", "toString", "__proto__", "hasOwnProperty"].map((uses) => STEPS[uses])).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("names a replacement on the deprecated step only", () => {
    expect(Object.values(STEPS).filter((step) => step.deprecated).map((step) => [step.uses, step.deprecated])).toEqual([["helm-update-image", "yaml-update (set the values key to ${{ imageFrom('<repoURL>').Tag }})"]]);
  });

  it("is the list docs/configuration.md gives", () => {
    const docs = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
    const listed = /Built-in steps: ([^.]+)\./.exec(docs)?.[1] ?? "";
    expect(listed.replace(/\([^)]*\)/g, "").split(",").map((name) => name.trim()).sort()).toEqual(Object.keys(STEPS).sort());
  });
});
