import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readStagePipeline } from "../../../src/promotion/local/read-stage-pipeline.js";

function file(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "pipeline-"));
  const target = path.join(dir, "stagecoach.yml");
  writeFileSync(target, text);
  return target;
}

describe("readStagePipeline", () => {
  it("reads a stages: list with spec.promotionTemplate, stage vars and tasks", async () => {
    const pipeline = await readStagePipeline(
      file(`project: shop
stages:
  - name: prod
    spec:
      vars: [{ name: a, value: 1 }]
      requestedFreight: [{ origin: { kind: Warehouse, name: images } }]
      promotionTemplate:
        spec:
          vars: [{ name: b, value: 2 }]
          steps: [{ uses: fail }]
promotionTasks:
  - name: t
    steps: [{ uses: compose-output }]
`),
      "prod",
    );
    expect(pipeline).toMatchObject({ project: "shop", warehouse: "images", steps: [{ uses: "fail" }], vars: [{ name: "a", value: 1 }, { name: "b", value: 2 }], tasks: { t: { name: "t" } } });
  });

  it("says when steps are not a list", async () => {
    await expect(readStagePipeline(file("stages:\n  - name: dev\n    steps: nope\n"), "dev")).rejects.toThrow(/stage dev steps: expected a list, got string/);
  });
});
