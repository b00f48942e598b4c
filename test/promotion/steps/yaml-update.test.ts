import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { createStepHarness, type StepHarness } from "../support/step-harness.js";

const ORIGINAL = readFileSync(new URL("../../fixtures/promotion/values-with-comments.yaml", import.meta.url), "utf8");
let h: StepHarness;
beforeEach(async () => {
  h = await createStepHarness();
  await h.write({ "src/values.yaml": ORIGINAL });
});
afterEach(() => h.dispose());

function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  return b.filter((line, i) => a[i] !== line);
}

describe("yaml-update", () => {
  it("changes only the targeted values; every other line keeps its bytes", async () => {
    const result = await h.run("yaml-update", {
      path: "src/values.yaml",
      updates: [
        { key: "image.tag", value: "1.4.0" },
        { key: "replicaCount", value: 5 },
        { key: "env.0.value", value: "debug" },
        { key: "ingress.hosts.0.host", value: "shop.acme.io" },
      ],
    });
    const after = await h.read("src/values.yaml");
    expect(changedLines(ORIGINAL, after)).toEqual([
      "replicaCount: 5   # scaled for Black Friday",
      "    tag: '1.4.0'    # single-quoted, with a comment",
      "    - host: shop.acme.io",
      '    value: "debug"',
    ]);
    expect(after.split("\n")).toHaveLength(ORIGINAL.split("\n").length);
    expect(result.outputs?.commitMessage).toBe("Updated src/values.yaml: image.tag=1.4.0, replicaCount=5, env.0.value=debug, ingress.hosts.0.host=shop.acme.io");
  });

  it("keeps a string a string when the old value was plain and the new one looks like a number", async () => {
    await h.run("yaml-update", { path: "src/values.yaml", updates: [{ key: "image.pullPolicy", value: "1.10" }] });
    expect(await h.read("src/values.yaml")).toContain('    pullPolicy: "1.10"\n');
  });

  it("adds a missing key under its parent, with the parent's indentation, and leaves the rest alone", async () => {
    await h.run("yaml-update", { path: "src/values.yaml", updates: [{ key: "image.digest", value: "sha256:abc" }] });
    const after = await h.read("src/values.yaml");
    expect(after).toContain("    pullPolicy: IfNotPresent\n    digest: sha256:abc\n\ningress:");
    expect(after.replace("    digest: sha256:abc\n", "")).toBe(ORIGINAL);
  });

  it("escapes dots in keys with a backslash", async () => {
    await h.write({ "src/annotated.yaml": "metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: '1'\n" });
    await h.run("yaml-update", { path: "src/annotated.yaml", updates: [{ key: "metadata.annotations.argocd\\.argoproj\\.io/sync-wave", value: "2" }] });
    expect(await h.read("src/annotated.yaml")).toBe("metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: '2'\n");
  });

  it.each([
    ["key: [unclosed\n", "tag", /src\/bad.yaml is not valid YAML at line 2, column 1/],
    ["a: 1\n", "a..b", /empty part/],
    ["list:\n  - 1\n", "list.x", /"list" is not a mapping/],
    ["inline: {a: 1}\n", "inline.b", /written in flow style/],
  ])("refuses broken input %#", async (text, key, message) => {
    await h.write({ "src/bad.yaml": text });
    const error = await h.run("yaml-update", { path: "src/bad.yaml", updates: [{ key, value: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as Error).message).toMatch(message);
  });
});
