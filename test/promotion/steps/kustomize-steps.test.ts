import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectKustomizePaths } from "../../../src/promotion/step-support/collect-kustomize-paths.js";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { createStepHarness, type StepHarness } from "../support/step-harness.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
        - name: shop
          image: ghcr.io/acme/shop:1.0.0
`;

let h: StepHarness;
beforeEach(async () => {
  h = await createStepHarness();
  await h.write({
    "src/base/deployment.yaml": DEPLOYMENT,
    "src/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "src/env/prod/kustomization.yaml": "# prod overlay\nresources:\n  - ../../base\nnamePrefix: prod-\n",
  });
});
afterEach(() => h.dispose());

describe("kustomize-set-image", () => {
  it("sets the tag from the freight and keeps the rest of the kustomization", async () => {
    const result = await h.run("kustomize-set-image", { path: "src/env/prod", images: [{ image: "ghcr.io/acme/shop" }] });
    expect(await h.read("src/env/prod/kustomization.yaml")).toBe(
      "# prod overlay\nresources:\n  - ../../base\nnamePrefix: prod-\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: 1.4.0\n",
    );
    expect(result.outputs?.commitMessage).toBe("Updated src/env/prod to use image ghcr.io/acme/shop:1.4.0");
  });

  it("updates an existing entry, switching to the digest when asked", async () => {
    await h.run("kustomize-set-image", { path: "src/env/prod", images: [{ image: "ghcr.io/acme/shop", tag: "0.9" }] });
    await h.run("kustomize-set-image", { path: "src/env/prod", images: [{ image: "ghcr.io/acme/shop", useDigest: true, newName: "mirror.io/shop" }] });
    const text = await h.read("src/env/prod/kustomization.yaml");
    expect(text).toContain("  - name: ghcr.io/acme/shop\n    newName: mirror.io/shop\n    digest: sha256:1111\n");
    expect(text).not.toContain("newTag");
  });

  it("says when the directory has no kustomization or the freight lacks the image", async () => {
    await expect(h.run("kustomize-set-image", { path: "src/nowhere", images: [{ image: "ghcr.io/acme/shop" }] })).rejects.toThrow(/no kustomization.yaml in "src\/nowhere"/);
    await expect(h.run("kustomize-set-image", { path: "src/env/prod", images: [{ image: "ghcr.io/acme/other" }] })).rejects.toThrow(
      /config.images\[0\]: the freight being promoted has no image "ghcr.io\/acme\/other"; set a tag or digest/,
    );
  });
});

describe("kustomize-build (kubectl kustomize on this machine)", () => {
  it("renders an overlay that reaches up to its base", async () => {
    await h.run("kustomize-set-image", { path: "src/env/prod", images: [{ image: "ghcr.io/acme/shop", tag: "2.0.0" }] });
    await h.run("kustomize-build", { path: "src/env/prod", outPath: "out/prod.yaml" });
    const rendered = await h.read("out/prod.yaml");
    expect(rendered).toContain("name: prod-shop");
    expect(rendered).toContain("image: ghcr.io/acme/shop:2.0.0");
  });

  it("puts kustomize's stderr in the message when the build fails", async () => {
    await h.write({ "src/env/broken/kustomization.yaml": "resources:\n  - missing.yaml\n" });
    const error = await h.run("kustomize-build", { path: "src/env/broken", outPath: "out/x.yaml" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as Error).message).toMatch(/^kustomize build of "src\/env\/broken" failed: .*missing\.yaml/s);
    expect(await h.workspace.exists("out/x.yaml")).toBe(false);
  });

  it("says neither kustomize nor kubectl is installed when the path has neither", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-tools-"));
    const error = (await h.run("kustomize-build", { path: "src/env/prod", outPath: "o.yaml" }, { services: { toolPath: empty } }).catch((e: unknown) => e)) as StepFailure;
    expect(error.message).toBe("kustomize-build needs `kustomize` or `kubectl` on PATH and neither was found; install one of them");
    expect(error.phase).toBe("Errored");
  });
});

describe("collectKustomizePaths", () => {
  it("follows an overlay to its base and patch files, and nothing else", async () => {
    await h.write({
      "src/env/stage/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: c\n    files:\n      - app.properties\n",
      "src/env/stage/patch.yaml": "x",
      "src/unrelated/big.yaml": "y",
    });
    expect(await collectKustomizePaths(h.workspace, "src/env/stage")).toEqual(["src/env/stage", "src/base", "src/base/deployment.yaml", "src/env/stage/patch.yaml", "src/env/stage/app.properties"]);
  });
});
