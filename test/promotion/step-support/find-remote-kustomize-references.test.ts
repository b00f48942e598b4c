import { describe, expect, it } from "vitest";
import { findRemoteKustomizeReferences, isRemoteReference } from "../../../src/promotion/step-support/find-remote-kustomize-references.js";

describe("isRemoteReference", () => {
  it.each([
    "https://raw.githubusercontent.com/acme/app/main/deploy.yaml",
    "http://169.254.169.254/latest/meta-data/",
    "HTTP://127.0.0.1:8080/x.yaml",
    "github.com/acme/app//deploy/base?ref=v1.2.0",
    "github.com:acme/app.git",
    "git@github.com:acme/app.git//base",
    "deploy@git.internal:team/app.git",
    "ssh://git@git.internal/team/app.git",
    "file:///etc/kubernetes",
    "git::https://git.internal/team/app.git",
    "s3::https://bucket.s3.amazonaws.com/app",
    "gh:acme/app",
    "dev.azure.com/org/project/_git/repo/base",
    "example.com/team/app//base",
    "example.com/team/app?ref=main",
  ])("%s is remote", (entry) => {
    expect(isRemoteReference(entry)).toBe(true);
  });

  it.each(["../../base", "deployment.yaml", "./overlays/prod", "base/", "/abs/path", "components/feature-flags", "my.app/service.yaml", "v1.2.3/crds.yaml"])("%s is local", (entry) => {
    expect(isRemoteReference(entry)).toBe(false);
  });
});

describe("findRemoteKustomizeReferences", () => {
  it("names every field kustomize would fetch from, and leaves local entries and inline configs alone", () => {
    const doc = {
      resources: ["deployment.yaml", "https://evil.example/cm.yaml"],
      components: ["github.com/acme/components//flags?ref=v1"],
      bases: ["../base"],
      crds: ["http://10.0.0.1/crd.yaml"],
      generators: ["apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: https://not-a-path\n"],
      transformers: ["git@github.com:acme/t.git"],
      configurations: ["https://evil.example/config.yaml"],
      patches: [{ path: "patch.yaml" }, { path: "https://evil.example/patch.yaml" }],
      replacements: [{ path: "ssh://git@evil/r.yaml" }],
      configMapGenerator: [{ name: "c", files: ["app.properties", "key=https://evil.example/k"], envs: ["http://169.254.169.254/env"] }],
      secretGenerator: [{ name: "s", env: "https://evil.example/.env" }],
      openapi: { path: "https://evil.example/schema.json" },
      helmCharts: [{ name: "local-chart" }, { name: "redis", repo: "https://charts.bitnami.com/bitnami", valuesFile: "https://evil.example/values.yaml" }],
      helmChartInflationGenerator: [{ chartName: "old", chartRepoUrl: "oci://registry/charts" }],
    };
    expect(findRemoteKustomizeReferences(doc)).toEqual([
      { field: "resources[1]", entry: "https://evil.example/cm.yaml" },
      { field: "components[0]", entry: "github.com/acme/components//flags?ref=v1" },
      { field: "crds[0]", entry: "http://10.0.0.1/crd.yaml" },
      { field: "configurations[0]", entry: "https://evil.example/config.yaml" },
      { field: "transformers[0]", entry: "git@github.com:acme/t.git" },
      { field: "patches[1].path", entry: "https://evil.example/patch.yaml" },
      { field: "replacements[0].path", entry: "ssh://git@evil/r.yaml" },
      { field: "configMapGenerator[0].files[1]", entry: "https://evil.example/k" },
      { field: "configMapGenerator[0].envs[0]", entry: "http://169.254.169.254/env" },
      { field: "secretGenerator[0].env", entry: "https://evil.example/.env" },
      { field: "openapi.path", entry: "https://evil.example/schema.json" },
      { field: "helmCharts[1].repo", entry: "https://charts.bitnami.com/bitnami" },
      { field: "helmCharts[1].valuesFile", entry: "https://evil.example/values.yaml" },
      { field: "helmChartInflationGenerator[0].chartRepoUrl", entry: "oci://registry/charts" },
    ]);
  });

  it("finds nothing in a kustomization that only names local files, or in one that is not a map", () => {
    expect(findRemoteKustomizeReferences({ resources: ["a.yaml", "../b"], patches: [{ path: "p.yaml" }, { patch: "inline" }], helmCharts: [{ name: "x", repo: "" }] })).toEqual([]);
    expect(findRemoteKustomizeReferences({ resources: "https://not-a-list" })).toEqual([]);
  });
});
