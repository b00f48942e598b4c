import { describe, expect, it } from "vitest";
import { findUnvendoredChartDependencies } from "../../../src/promotion/step-support/find-unvendored-chart-dependencies.js";

const CHART = `apiVersion: v2
name: umbrella
version: 0.1.0
dependencies:
  - name: redis
    version: 18.0.0
    repository: https://charts.example.com
  - name: common
    version: 2.x
    repository: file://../common
  - name: shop
    version: 0.3.0
    repository: oci://ghcr.io/acme/charts
`;

describe("findUnvendoredChartDependencies", () => {
  it("lists every dependency charts/ does not hold, from a repository or a file:// path alike", () => {
    expect(findUnvendoredChartDependencies({ chart: CHART, vendored: [] })).toEqual([
      { name: "redis", version: "18.0.0", repository: "https://charts.example.com" },
      { name: "common", version: "2.x", repository: "file://../common" },
      { name: "shop", version: "0.3.0", repository: "oci://ghcr.io/acme/charts" },
    ]);
  });

  it("counts a directory named after the dependency, or its name-version.tgz, as vendored", () => {
    const vendored = ["redis-18.0.0.tgz", "common/Chart.yaml", "common/templates/_helpers.tpl", "shop-cart-1.0.0.tgz"];
    expect(findUnvendoredChartDependencies({ chart: CHART, vendored }).map((d) => d.name)).toEqual(["shop"]);
    expect(findUnvendoredChartDependencies({ chart: CHART, vendored: [...vendored, "shop-v0.3.0.tgz"] })).toEqual([]);
  });

  it("reads a v1 chart's requirements.yaml, and finds nothing in a chart without dependencies or one that does not parse", () => {
    const requirements = "dependencies:\n  - name: postgresql\n    version: 12.1.0\n    repository: https://charts.example.com\n";
    expect(findUnvendoredChartDependencies({ chart: "apiVersion: v1\nname: old\nversion: 1.0.0\n", requirements, vendored: [] })).toEqual([
      { name: "postgresql", version: "12.1.0", repository: "https://charts.example.com" },
    ]);
    expect(findUnvendoredChartDependencies({ chart: "apiVersion: v2\nname: plain\nversion: 0.1.0\n", vendored: [] })).toEqual([]);
    expect(findUnvendoredChartDependencies({ chart: "dependencies: [unclosed", vendored: [] })).toEqual([]);
  });
});
