import { describe, expect, it } from "vitest";
import { planSourceUpdate } from "../../src/argocd/plan-source-update.js";
import type { Application } from "../../src/argocd/types.js";
import type { ArgoCdSourceUpdate, FreightArtifacts } from "../../src/argocd/update-config.js";
import { gitApp, multiSourceApp } from "./support/applications.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const freight: FreightArtifacts = {
  name: "wiggly-tuatara",
  commits: [{ repoURL: "https://github.com/acme/gitops", id: SHA }],
  images: [{ repoURL: "ghcr.io/acme/web", tag: "1.4.0", digest: "sha256:abc" }],
  charts: [{ repoURL: "https://charts.acme.dev", name: "web", version: "1.3.0" }],
};

const kustomizeApp = (): Application => {
  const app = gitApp("web");
  app.spec!.source!.kustomize = { images: ["ghcr.io/acme/web:1.0.0", "redis:7"] };
  return app;
};

const plan = (app: Application, sources: ArgoCdSourceUpdate[]) => planSourceUpdate(app, { name: "web", sources }, freight);

describe("planSourceUpdate: single-source apps", () => {
  it.each<[string, ArgoCdSourceUpdate, string | undefined]>([
    ["desiredRevision", { repoURL: "https://github.com/acme/gitops.git", desiredRevision: "abc1234" }, "abc1234"],
    ["updateTargetRevision from the freight's commit", { repoURL: "git@github.com:acme/gitops.git", updateTargetRevision: true }, SHA],
    ["no revision asked for", { repoURL: "https://github.com/acme/gitops" }, "main"],
  ])("%s", (_label, update, targetRevision) => {
    const result = plan(gitApp("web"), [update]);
    expect(result.spec.source?.targetRevision).toBe(targetRevision);
    expect(result.spec.sources).toBeUndefined();
    expect(result.changed).toBe(targetRevision !== "main");
    expect(result.expectedRevisions).toEqual([targetRevision === "main" ? undefined : targetRevision]);
  });

  it("uses the commit's tag over its SHA when the freight has one", () => {
    const tagged = { ...freight, commits: [{ repoURL: "https://github.com/acme/gitops", id: SHA, tag: "v1.2.0" }] };
    expect(planSourceUpdate(gitApp("web"), { sources: [{ repoURL: "https://github.com/acme/gitops", updateTargetRevision: true }] }, tagged).spec.source?.targetRevision).toBe("v1.2.0");
  });

  it.each<[string, ArgoCdSourceUpdate, string[]]>([
    ["a tag from the freight", { repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "ghcr.io/acme/web" }] } }, ["ghcr.io/acme/web:1.4.0", "redis:7"]],
    ["a digest from the freight", { repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "ghcr.io/acme/web", useDigest: true }] } }, ["ghcr.io/acme/web@sha256:abc", "redis:7"]],
    ["an explicit tag and newName", { repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "redis", tag: "7.2", newName: "mirror.acme.dev/redis" }] } }, ["ghcr.io/acme/web:1.0.0", "redis=mirror.acme.dev/redis:7.2"]],
    ["a new image appended", { repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "nginx", digest: "sha256:def" }] } }, ["ghcr.io/acme/web:1.0.0", "redis:7", "nginx@sha256:def"]],
  ])("kustomize image override: %s", (_label, update, images) => {
    expect(plan(kustomizeApp(), [update]).spec.source?.kustomize?.images).toEqual(images);
  });

  it("leaves the original Application untouched", () => {
    const app = kustomizeApp();
    plan(app, [{ repoURL: "https://github.com/acme/gitops", desiredRevision: "abc1234", kustomize: { images: [{ repoURL: "ghcr.io/acme/web" }] } }]);
    expect(app).toEqual(kustomizeApp());
  });

  it("reports no change when the spec already says it", () => {
    const result = plan(kustomizeApp(), [{ repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "ghcr.io/acme/web", tag: "1.0.0" }] } }]);
    expect(result.changed).toBe(false);
    expect(result.changes).toEqual([]);
  });
});

describe("planSourceUpdate: multi-source apps", () => {
  it("updates the chart source's version and Helm parameters, leaving the values source alone", () => {
    const result = plan(multiSourceApp("web"), [
      { repoURL: "https://charts.acme.dev", chart: "web", updateTargetRevision: true, helm: { images: [{ key: "image.tag", value: "Tag", repoURL: "ghcr.io/acme/web" }, { key: "replicas", value: "3" }] } },
    ]);
    expect(result.spec.source).toBeUndefined();
    expect(result.spec.sources?.[0]).toMatchObject({ targetRevision: "1.3.0", helm: { parameters: [{ name: "image.tag", value: "1.4.0" }, { name: "replicas", value: "3" }] } });
    expect(result.spec.sources?.[1]).toEqual(multiSourceApp("web").spec!.sources![1]);
    expect(result.expectedRevisions).toEqual(["1.3.0", undefined]);
    expect(result.changes).toEqual([
      "argocd/web source 1: targetRevision 1.0.0 → 1.3.0",
      "argocd/web source 1: helm parameter image.tag=1.4.0",
      "argocd/web source 1: helm parameter replicas=3",
    ]);
  });

  it("matches an OCI chart given as repo plus chart name", () => {
    const app = multiSourceApp("web");
    app.spec!.sources![0] = { repoURL: "ghcr.io/acme/charts", chart: "web", targetRevision: "1.0.0" };
    const oci = { ...freight, charts: [{ repoURL: "oci://ghcr.io/acme/charts/web", version: "2.0.0" }] };
    expect(planSourceUpdate(app, { sources: [{ repoURL: "oci://ghcr.io/acme/charts", chart: "web", updateTargetRevision: true }] }, oci).spec.sources?.[0]?.targetRevision).toBe("2.0.0");
  });

  it("pins the Git source to the merge commit", () => {
    const result = plan(multiSourceApp("web"), [{ repoURL: "https://github.com/acme/gitops", desiredRevision: SHA }]);
    expect(result.spec.sources?.[1]?.targetRevision).toBe(SHA);
    expect(result.expectedRevisions).toEqual([undefined, SHA]);
  });
});

describe("planSourceUpdate: config that cannot apply", () => {
  it.each<[string, ArgoCdSourceUpdate, string]>([
    ["a repo the app does not use", { repoURL: "https://github.com/acme/other", desiredRevision: "x" }, "argocd-update sources[0]: Application argocd/web has no source with repoURL https://github.com/acme/other"],
    ["a chart the app does not use", { repoURL: "https://charts.acme.dev", chart: "api", desiredRevision: "1" }, "and chart api"],
    ["a Git repo given for the chart source", { repoURL: "https://charts.acme.dev", desiredRevision: "1" }, "its sources are: https://charts.acme.dev (chart web), https://github.com/acme/gitops.git"],
    ["an image the freight lacks", { repoURL: "https://charts.acme.dev", chart: "web", helm: { images: [{ key: "image.tag", value: "Tag", repoURL: "ghcr.io/acme/api" }] } }, "sources[0].helm.images[0]: freight wiggly-tuatara carries no image ghcr.io/acme/api (its images: ghcr.io/acme/web)"],
  ])("%s", (_label, update, message) => {
    expect(() => plan(multiSourceApp("web"), [update])).toThrow(message);
  });

  it("names the freight when it has no commit of the repo", () => {
    expect(() => planSourceUpdate(gitApp("web"), { sources: [{ repoURL: "https://github.com/acme/gitops", updateTargetRevision: true }] }, { name: "lonely-yak" })).toThrow(
      "freight lonely-yak carries no commit of https://github.com/acme/gitops.git (its commits: none)",
    );
  });
});
