import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { createStepHarness, type StepHarness } from "../support/step-harness.js";

let h: StepHarness;
beforeEach(async () => {
  h = await createStepHarness();
});
afterEach(() => h.dispose());

async function failure(uses: string, config: unknown): Promise<StepFailure> {
  const error = await h.run(uses, config).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StepFailure);
  return error as StepFailure;
}

describe("json-update / json-parse", () => {
  it("sets keys, keeps the indentation and final newline, and reads values back", async () => {
    await h.write({ "app.json": '{\n    "image": {"tag": "1.0"},\n    "list": [1, 2]\n}\n' });
    await h.run("json-update", { path: "app.json", updates: [{ key: "image.tag", value: "2.0" }, { key: "list.2", value: 3 }, { key: "new.key", value: true }] });
    expect(await h.read("app.json")).toBe('{\n    "image": {\n        "tag": "2.0"\n    },\n    "list": [\n        1,\n        2,\n        3\n    ],\n    "new": {\n        "key": true\n    }\n}\n');
    const parsed = await h.run("json-parse", { path: "app.json", outputs: [{ name: "tag", fromExpression: "image.tag" }, { name: "count", fromExpression: "list[2] + 1" }] });
    expect(parsed.outputs).toEqual({ tag: "2.0", count: 4 });
  });

  it.each([
    ["{not json", "a", /app.json is not valid JSON/],
    ['{"a": 1}', "__proto__.polluted", /"__proto__", which is not allowed/],
    ['{"a": [1]}', "a.5", /is a list; use an index from 0 to 1/],
    ['{"a": "text"}', "a.b", /"a" is a string, not a mapping/],
  ])("refuses %s with key %s", async (text, key, message) => {
    await h.write({ "app.json": text });
    expect((await failure("json-update", { path: "app.json", updates: [{ key, value: 1 }] })).message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("toml-update / toml-parse", () => {
  it("sets keys and reads them back", async () => {
    await h.write({ "config.toml": '[image]\ntag = "1.0"\n' });
    await h.run("toml-update", { path: "config.toml", updates: [{ key: "image.tag", value: "1.1" }, { key: "replicas", value: 2 }] });
    const parsed = await h.run("toml-parse", { path: "config.toml", outputs: [{ name: "tag", fromExpression: "image.tag" }, { name: "replicas", fromExpression: "replicas" }] });
    expect(parsed.outputs).toEqual({ tag: "1.1", replicas: 2 });
  });

  it("names the file when the TOML is broken", async () => {
    await h.write({ "config.toml": "[image\n" });
    expect((await failure("toml-parse", { path: "config.toml", outputs: [{ name: "x", fromExpression: "x" }] })).message).toMatch(/config.toml is not valid TOML/);
  });
});

describe("yaml-parse / yaml-merge", () => {
  it("reads values with expressions over the document and the promotion's vars", async () => {
    await h.write({ "v.yaml": "image:\n  tag: 1.2.3\nreplicas: 2\n" });
    const result = await h.run("yaml-parse", { path: "v.yaml", outputs: [{ name: "tag", fromExpression: "image.tag" }, { name: "double", fromExpression: "replicas * vars.factor" }] }, { context: { vars: { factor: 3 } } });
    expect(result.outputs).toEqual({ tag: "1.2.3", double: 6 });
  });

  it("names the output whose expression fails", async () => {
    await h.write({ "v.yaml": "a: 1\n" });
    expect((await failure("yaml-parse", { path: "v.yaml", outputs: [{ name: "x", fromExpression: "b.c" }] })).message).toMatch(/^config.outputs\[0\].fromExpression: cannot read "c" of b, which is nil \(unknown name "b"/);
  });

  it("merges files in order, later wins, missing inputs skipped unless strict", async () => {
    await h.write({ "base.yaml": "image:\n  repo: r\n  tag: 1\nlist: [1]\n", "prod.yaml": "image:\n  tag: 2\nlist: [9]\n" });
    await h.run("yaml-merge", { inFiles: ["base.yaml", "missing.yaml", "prod.yaml"], outFile: "out/merged.yaml" });
    expect(await h.read("out/merged.yaml")).toBe("image:\n  repo: r\n  tag: 2\nlist:\n  - 9\n");
    expect((await failure("yaml-merge", { inFiles: ["missing.yaml"], outFile: "x.yaml", strict: true })).message).toMatch(/"missing.yaml" does not exist \(strict is on/);
  });
});

describe("copy / delete / file-write", () => {
  it("copies a directory, writes and deletes files", async () => {
    await h.write({ "src/a/one.yaml": "1", "src/a/deep/two.yaml": "2" });
    const copied = await h.run("copy", { inPath: "src/a", outPath: "out/b" });
    expect(copied.outputs).toEqual({ files: 2 });
    expect(await h.read("out/b/deep/two.yaml")).toBe("2");
    await h.run("file-write", { path: "out/note.txt", contents: "hello" });
    expect(await h.read("out/note.txt")).toBe("hello");
    await h.run("delete", { path: "out/b" });
    expect(await h.workspace.exists("out/b")).toBe(false);
    expect(await h.workspace.exists("src/a/one.yaml")).toBe(true);
  });

  it("refuses a missing copy source, a strict delete of nothing, and deleting the whole workspace", async () => {
    expect((await failure("copy", { inPath: "nope", outPath: "x" })).message).toMatch(/inPath "nope" does not exist/);
    expect((await failure("delete", { path: "nope", strict: true })).message).toMatch(/"nope" does not exist \(strict is on\)/);
    await h.write({ "keep.txt": "k" });
    expect((await failure("delete", { path: "./" })).message).toMatch(/refusing to delete the whole workspace/);
  });
});

describe("compose-output / set-metadata / set-freight-alias / fail", () => {
  it("publishes outputs and records effects for the caller", async () => {
    expect((await h.run("compose-output", { url: "https://x", n: 1 })).outputs).toEqual({ url: "https://x", n: 1 });
    await h.run("set-metadata", { updates: [{ kind: "Stage", name: "prod", values: { owner: "team-a" } }, { kind: "Freight", name: "abc123", values: { ticket: "OPS-1" } }] });
    await h.run("set-freight-alias", { newAlias: "brave-otter" });
    expect(h.effects).toEqual({ stageMetadata: { prod: { owner: "team-a" } }, freightMetadata: { abc123: { ticket: "OPS-1" } }, freightAliases: { abc123: "brave-otter" } });
  });

  it("fail ends with its message; a bad alias is refused by the schema", async () => {
    expect((await failure("fail", { message: "freeze in effect" })).message).toBe("freeze in effect");
    await expect(h.run("set-freight-alias", { newAlias: "Not An Alias" })).rejects.toThrow(/lowercase letters, digits and dashes/);
  });
});
