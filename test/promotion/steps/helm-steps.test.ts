import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { UNREACHABLE_PROXY } from "../../../src/promotion/tools/run-tool.js";
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
    await h.write({ "src/plain/Chart.yaml": "apiVersion: v2\nname: plain\nversion: 0.1.0\n" });
    const empty = mkdtempSync(path.join(tmpdir(), "no-helm-"));
    const error = (await h.run("helm-template", { path: "src/plain", outPath: "out/all.yaml" }, { services: { toolPath: empty } }).catch((e: unknown) => e)) as StepFailure;
    expect(error).toBeInstanceOf(StepFailure);
    expect(error.message).toBe("helm-template needs `helm` on PATH and it was not found; install Helm 3");
    expect(error.phase).toBe("Errored");
  });

  it.each([{ releaseName: "--post-renderer=/bin/sh" }, { namespace: "-n" }, { kubeVersion: "--x" }, { apiVersions: ["-x"] }])("refuses values helm would read as flags %#", async (extra) => {
    await expect(h.run("helm-template", { path: "src/chart", outPath: "o.yaml", ...extra })).rejects.toThrow(/DNS-1123|may not start with a dash/);
  });

  it("refuses a chart whose dependencies are not vendored, before looking for helm, naming each and the fix", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "no-helm-"));
    const error = (await h.run("helm-template", { path: "./src/chart", outPath: "o.yaml" }, { services: { toolPath: empty } }).catch((e: unknown) => e)) as StepFailure;
    expect(error).toBeInstanceOf(StepFailure);
    expect(error.message).toBe(
      "src/chart/Chart.yaml lists shop 0.3.0 from oci://ghcr.io/acme/charts, redis 18.0.0 from https://charts.example.com, not vendored in src/chart/charts/; helm-template does not fetch dependencies (that would reach past the App's address guard). Run `helm dependency build src/chart` and commit src/chart/charts/",
    );
    await h.write({ "src/chart/charts/redis-18.0.0.tgz": "archive", "src/chart/charts/shop/Chart.yaml": "name: shop\n" });
    const vendored = (await h.run("helm-template", { path: "src/chart", outPath: "o.yaml" }, { services: { toolPath: empty } }).catch((e: unknown) => e)) as StepFailure;
    expect(vendored.message).toBe("helm-template needs `helm` on PATH and it was not found; install Helm 3");
  });

  it("runs helm offline: only PATH and a private HOME, proxies at a closed port, git limited to files", async () => {
    // helm is not installed here; a stand-in named helm prints what the step hands to the real one.
    const bin = mkdtempSync(path.join(tmpdir(), "fake-helm-"));
    writeFileSync(path.join(bin, "helm"), '#!/bin/sh\nenv | sort\necho "args: $*"\n', { mode: 0o755 });
    await h.write({ "src/plain/Chart.yaml": "apiVersion: v2\nname: plain\nversion: 0.1.0\n" });
    process.env.STAGECOACH_TEST_SECRET = "must-not-leak";
    try {
      await h.run("helm-template", { path: "src/plain", outPath: "out/all.yaml", releaseName: "shop" }, { services: { toolPath: bin } });
    } finally {
      delete process.env.STAGECOACH_TEST_SECRET;
    }
    const printed = await h.read("out/all.yaml");
    const env = Object.fromEntries(printed.split("\n").filter((line) => /^[A-Za-z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    expect(env).toMatchObject({ HTTP_PROXY: UNREACHABLE_PROXY, https_proxy: UNREACHABLE_PROXY, ALL_PROXY: UNREACHABLE_PROXY, NO_PROXY: "", no_proxy: "", GIT_ALLOW_PROTOCOL: "file", GIT_TERMINAL_PROMPT: "0" });
    expect(env.STAGECOACH_TEST_SECRET).toBeUndefined();
    expect(env.HOME).toMatch(/stagecoach-tool-/);
    expect(existsSync(env.HOME!)).toBe(false);
    expect(printed).toMatch(/^args: template shop \S+\/src\/plain$/m);
    expect(printed).not.toMatch(/dependency|--repo/);
  });

  it("refuses values files outside the workspace before running anything", async () => {
    await expect(h.run("helm-template", { path: "src/chart", outPath: "o.yaml", valuesFiles: ["../../etc/passwd"] })).rejects.toThrow(/leaves the workspace/);
  });
});
