import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  changesFromArgoCD,
  diffManifestSets,
  findDriftWarnings,
  formatResourceKey,
  readManifests,
  renderDriftWarnings,
  renderKustomization,
  renderResourceChanges,
  type ManifestDiff,
} from "../../../src/argocd/diff/index.js";
import type { Application } from "../../../src/argocd/types.js";
import type { RecordedExchange } from "../../../src/sandbox/argocd/start-fake-argocd.js";
import { contractViolations } from "../support/argocd-contract.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/argocd-diff");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as Record<string, unknown>;

async function renderedDiff(): Promise<ManifestDiff> {
  const [before, after] = await Promise.all([renderKustomization(join(FIXTURES, "target")), renderKustomization(join(FIXTURES, "promotion"))]);
  return diffManifestSets(readManifests(before, "the target branch"), readManifests(after, "the promotion branch"));
}

describe("the diff of two kustomize renders (real kubectl kustomize)", () => {
  it("lists each added, removed and changed resource, the unchanged counted", async () => {
    const diff = await renderedDiff();
    expect(diff.unchanged).toBe(1);
    expect(diff.changes.map((c) => [formatResourceKey(c.key), c.change])).toEqual([
      ["ConfigMap shop/legacy-flags", "removed"],
      ["Secret shop/api-credentials", "changed"],
      ["apps/Deployment shop/api", "changed"],
      ["autoscaling/HorizontalPodAutoscaler shop/api", "added"],
    ]);
    const deployment = diff.changes.find((c) => c.key.kind === "Deployment")?.diff ?? "";
    expect(deployment).toContain("-  replicas: 2\n+  replicas: 3");
    expect(deployment).toContain("-        - image: ghcr.io/acme/api:1.4.0");
    expect(deployment).toContain("+        - image: ghcr.io/acme/api:1.5.0");
  });

  it("masks Secret values: the change shows, the values never", async () => {
    const diff = await renderedDiff();
    const secret = diff.changes.find((c) => c.key.kind === "Secret")?.diff ?? "";
    expect(secret).toContain("-  password: ++++++++\n+  password: +++++++++");
    expect(secret).not.toMatch(/hunter2|correct-horse/);
    expect(secret).toContain("   username: ++++++++");
    const text = renderResourceChanges(diff, { title: "What changes in uat" });
    expect(text).not.toMatch(/hunter2|correct-horse/);
  });

  it("renders collapsed sections, and cuts past the budget with a note and a link", async () => {
    const diff = await renderedDiff();
    const text = renderResourceChanges(diff, { title: "What changes in uat" });
    expect(text).toContain("### What changes in uat\n\n2 changed, 1 added, 1 removed (1 unchanged).");
    expect(text.match(/<details><summary>/g)).toHaveLength(4);
    expect(text).toContain("<details><summary>~ <code>apps/Deployment shop/api</code> (changed)</summary>");
    const cut = renderResourceChanges(diff, { title: "t", limit: 1_200, fullDiffUrl: "https://github.com/acme/gitops/actions/runs/1" });
    expect(cut.length).toBeLessThanOrEqual(1_200);
    expect(cut).toMatch(/\d more resources? changed, not shown in full: GitHub keeps at most 1200 characters here\. \[The whole diff\]\(https:\/\/github\.com\/acme\/gitops\/actions\/runs\/1\)\./);
    expect(cut).toContain("- + `autoscaling/HorizontalPodAutoscaler shop/api`");
  });

  it("keeps a hostile render within budget: thousands of resources, a huge one, a bad document", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c${i} }\ndata: { v: "${i}" }`).join("\n---\n");
    const diff = diffManifestSets(readManifests("", "before"), readManifests(many, "after"));
    const text = renderResourceChanges(diff, { title: "t" });
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toContain("_… and ");
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata: { v: "${"x".repeat(300_000)}" }`;
    expect(diffManifestSets(readManifests("", "b"), readManifests(huge, "a")).changes[0]?.note).toContain("too large to show a line diff");
    expect(() => readManifests("kind: [", "the promotion branch")).toThrow(/^the promotion branch, document 1:/);
    expect(() => readManifests("kind: ConfigMap\n", "x")).toThrow("a resource without kind or metadata.name");
    const tooMany = Array.from({ length: 5_001 }, (_, i) => `kind: A\nmetadata: { name: a${i} }`).join("\n---\n");
    expect(() => readManifests(tooMany, "x")).toThrow("more than 5000 resources");
  });
});

describe("Argo CD's own diff answers", () => {
  const exchange = (path: string, response: unknown): RecordedExchange => ({ method: "GET", path, query: {}, body: undefined, authenticated: true, status: 200, response });

  it("the fixtures match the v3.5 swagger", () => {
    expect(
      contractViolations([
        exchange("/api/v1/applications/shop-uat/managed-resources", fixture("managed-resources.json")),
        exchange("/api/v1/applications/shop-uat/server-side-diff", fixture("server-side-diff.json")),
      ]),
    ).toEqual([]);
  });

  it("renders managed-resources and server-side-diff the same way as a render diff", () => {
    for (const name of ["managed-resources.json", "server-side-diff.json"]) {
      const diff = changesFromArgoCD(fixture(name));
      expect(diff.unchanged).toBe(1);
      expect(diff.changes.map((c) => [formatResourceKey(c.key), c.change, c.note])).toEqual([
        ["ConfigMap shop/legacy-flags", "removed", "would be pruned (deleted) if the sync prunes"],
        ["Secret shop/api-credentials", "changed", undefined],
        ["apps/Deployment shop/api", "changed", undefined],
        ["autoscaling/HorizontalPodAutoscaler shop/api", "added", undefined],
      ]);
      const text = renderResourceChanges(diff, { title: "What Argo CD will change" });
      expect(text).toContain("+        - image: ghcr.io/acme/api:1.5.0");
      expect(text).not.toMatch(/aHVudGVy|Y29ycmVjdC/);
    }
  });
});

describe("drift warnings", () => {
  const app = (name: string, sync: string, health: string, message?: string): Application => ({
    metadata: { name },
    status: { sync: { status: sync, revision: "0123456789abcdef" }, health: { status: health, ...(message ? { message } : {}) } },
  }) as Application;

  it("warns about OutOfSync, Degraded and Progressing apps, and says nothing about healthy ones", () => {
    const warnings = findDriftWarnings([app("shop-ok", "Synced", "Healthy"), app("shop-drift", "OutOfSync", "Healthy"), app("shop-bad", "Synced", "Degraded", "CrashLoopBackOff"), app("shop-roll", "Synced", "Progressing")]);
    expect(warnings.map((w) => [w.app, w.kind])).toEqual([
      ["shop-drift", "OutOfSync"],
      ["shop-bad", "Degraded"],
      ["shop-roll", "Progressing"],
    ]);
    const text = renderDriftWarnings(warnings);
    expect(text.startsWith("> [!WARNING]\n> Before this promotion:")).toBe(true);
    expect(text).toContain("> - Application `shop-drift` is OutOfSync with Git at 0123456789ab");
    expect(text).toContain("is Degraded (CrashLoopBackOff)");
    expect(renderDriftWarnings(findDriftWarnings([app("fine", "Synced", "Healthy")]))).toBe("");
  });
});
