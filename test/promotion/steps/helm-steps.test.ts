import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StepFailure } from "../../../src/promotion/steps/step.js";
import { request } from "../support/run-helpers.js";
import { createStepHarness, type StepHarness } from "../support/step-harness.js";

const CHART = `apiVersion: v2
name: umbrella
version: 0.1.0
dependencies:
  # the app chart
  - name: shop
    repository: oci://ghcr.io/acme/charts
    version: 0.3.0
  - name: redis
    repository: https://charts.example.com
    version: "18.0.0"
`;

let h: StepHarness;
beforeEach(async () => {
  h = await createStepHarness();
  await h.write({ "src/chart/Chart.yaml": CHART, "src/values.yaml": "image:\n  repository: ghcr.io/acme/shop\n  tag: 1.0.0 # bumped by Stagecoach\n" });
});
afterEach(() => h.dispose());

describe("helm-update-image", () => {
  it("writes tag, digest or image-and-tag from the freight into the values file", async () => {
    await h.run("helm-update-image", {
      path: "src/values.yaml",
      images: [
        { image: "ghcr.io/acme/shop", key: "image.tag", value: "Tag" },
        { image: "ghcr.io/acme/shop", key: "image.full", value: "ImageAndDigest" },
      ],
    });
    expect(await h.read("src/values.yaml")).toBe("image:\n  repository: ghcr.io/acme/shop\n  tag: 1.4.0 # bumped by Stagecoach\n  full: ghcr.io/acme/shop@sha256:1111\n");
  });
});

describe("helm-update-chart", () => {
  it("sets dependency versions from the freight and from config, keeping comments and quoting", async () => {
    const promotion = request([], { freight: [{ name: "f", origin: { kind: "Warehouse", name: "charts" }, charts: [{ repoURL: "oci://ghcr.io/acme/charts/shop", version: "0.4.0" }] }] });
    const result = await h.run(
      "helm-update-chart",
      { path: "src/chart", charts: [{ repository: "oci://ghcr.io/acme/charts", name: "shop" }, { repository: "https://charts.example.com", name: "redis", version: "18.1.0" }] },
      { promotion },
    );
    expect(await h.read("src/chart/Chart.yaml")).toBe(CHART.replace("version: 0.3.0", "version: 0.4.0").replace('"18.0.0"', '"18.1.0"'));
    expect(result.outputs?.commitMessage).toBe("Updated chart dependencies in src/chart: shop:0.4.0, redis:18.1.0");
  });

  it("names a dependency the chart does not have", async () => {
    await expect(h.run("helm-update-chart", { path: "src/chart", charts: [{ repository: "https://x", name: "nope", version: "1" }] })).rejects.toThrow(
      /config.charts\[0\]: src\/chart\/Chart.yaml has no dependency "nope" from https:\/\/x; add it to dependencies first/,
    );
  });
});

describe("helm-template", () => {
  it("says helm is missing when it is not on PATH", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-helm-"));
    const error = (await h.run("helm-template", { path: "src/chart", outPath: "out/all.yaml" }, { services: { toolPath: empty } }).catch((e: unknown) => e)) as StepFailure;
    expect(error).toBeInstanceOf(StepFailure);
    expect(error.message).toBe("helm-template needs `helm` on PATH and it was not found; install Helm 3");
    expect(error.phase).toBe("Errored");
  });

  it.each([{ releaseName: "--post-renderer=/bin/sh" }, { namespace: "-n" }, { kubeVersion: "--x" }, { apiVersions: ["-x"] }])("refuses values helm would read as flags %#", async (extra) => {
    await expect(h.run("helm-template", { path: "src/chart", outPath: "o.yaml", ...extra })).rejects.toThrow(/DNS-1123|may not start with a dash/);
  });

  it("refuses values files outside the workspace before running anything", async () => {
    await expect(h.run("helm-template", { path: "src/chart", outPath: "o.yaml", valuesFiles: ["../../etc/passwd"] })).rejects.toThrow(/leaves the workspace/);
  });
});
