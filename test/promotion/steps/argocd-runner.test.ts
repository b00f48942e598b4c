import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArgoCdClient, type ArgoCdClient } from "../../../src/argocd/client.js";
import "../../../src/argocd/argocd-step-services.js";
import { createMemoryStateStore } from "../../../src/promotion/state-store.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp } from "../../argocd/support/applications.js";
import { contractViolations } from "../../argocd/support/argocd-contract.js";
import { request, run } from "../support/run-helpers.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
let fake: FakeArgoCd;
let client: ArgoCdClient;

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
  fake.addApplication(gitApp("shop-prod", { annotations: { "kargo.akuity.io/authorized-stage": "shop:prod" } }));
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

const steps = [
  { uses: "compose-output", as: "merge", config: { commit: SHA } },
  {
    uses: "argocd-update",
    as: "deploy",
    config: { apps: [{ name: "shop-prod", sources: [{ repoURL: "https://github.com/acme/gitops.git", desiredRevision: "${{ outputs.merge.commit }}", kustomize: { images: [{ repoURL: "ghcr.io/acme/shop" }] } }] }] },
  },
  { uses: "argocd-wait", as: "healthy", config: { timeout: "10m" } },
];

describe("argocd-update then argocd-wait through the promotion runner", () => {
  it("parks at the wait, survives a lost worker without a second write, and finishes once Argo CD is healthy", async () => {
    const store = createMemoryStateStore();
    const services = { argocd: client, committer: { name: "Stagecoach", email: "stagecoach@example.com" } };
    const first = await run(request(steps), { store, services });
    expect(first.phase).toBe("Running");
    expect(first.steps.map((s) => s.phase)).toEqual(["Succeeded", "Succeeded", "Running"]);
    expect(first.steps[1]?.outputs).toMatchObject({ argocdApps: [{ name: "shop-prod", expectedRevisions: [SHA], sync: "triggered" }] });
    expect(fake.getApplication("shop-prod")?.spec?.source).toMatchObject({ targetRevision: SHA, kustomize: { images: ["ghcr.io/acme/shop:1.4.0"] } });

    // A new worker with a fresh workspace re-runs the steps from the start.
    const second = await run(request(steps), { store, services });
    expect(second.phase).toBe("Running");
    expect(fake.requests().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /api/v1/applications/shop-prod",
      "POST /api/v1/applications/shop-prod/sync",
    ]);

    fake.completeSync("shop-prod");
    const done = await run(request(steps), { store, services });
    expect(done.phase).toBe("Succeeded");
    expect(done.steps[2]?.outputs).toEqual({ apps: [{ app: "argocd/shop-prod", phase: "Healthy", health: "Healthy", message: "argocd/shop-prod: Synced and Healthy" }] });
  });

  it("fails the promotion with Argo CD's message when the app ends Degraded", async () => {
    const services = { argocd: client, committer: { name: "Stagecoach", email: "stagecoach@example.com" } };
    const store = createMemoryStateStore();
    await run(request(steps), { store, services });
    fake.scriptSync("shop-prod", { phase: "Succeeded", health: "Degraded", message: "Readiness probe failed" });
    fake.completeSync("shop-prod");
    const state = await run(request(steps), { store, services });
    expect(state.phase).toBe("Failed");
    expect(state.message).toContain("argocd/shop-prod: Synced, health Degraded: Readiness probe failed");
  });
});
