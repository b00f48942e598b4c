import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArgoCdError } from "../../src/argocd/argocd-error.js";
import { createArgoCdClient, type ArgoCdClient } from "../../src/argocd/client.js";
import { updateArgoCdApps, type UpdateContext } from "../../src/argocd/update-argocd-apps.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp, multiSourceApp } from "./support/applications.js";
import { contractViolations } from "./support/argocd-contract.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const authorized = { "kargo.akuity.io/authorized-stage": "shop:prod" };
const context: UpdateContext = { project: "shop", stage: "prod", freight: { name: "wiggly-tuatara", charts: [{ repoURL: "https://charts.acme.dev", name: "web", version: "1.3.0" }] } };
const pinGitops = { repoURL: "https://github.com/acme/gitops", desiredRevision: SHA };

let fake: FakeArgoCd;
let client: ArgoCdClient;

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

const writes = () => fake.requests().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe("updateArgoCdApps", () => {
  it("pins the source, triggers a sync, and reports what to wait for", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized }));
    const [result] = await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }] }, context);
    expect(result).toEqual({ name: "web", namespace: "argocd", expectedRevisions: [SHA], changes: [`argocd/web source 1: targetRevision main → ${SHA}`], sync: "triggered" });
    expect(writes()).toEqual(["PUT /api/v1/applications/web", "POST /api/v1/applications/web/sync"]);
    expect(fake.requests().at(-1)!.body).toMatchObject({ prune: false, infos: [{ name: "Reason", value: "Stagecoach promoted freight wiggly-tuatara to stage prod of project shop" }] });
    expect(fake.completeSync("web").status?.sync).toMatchObject({ status: "Synced", revision: SHA });
  });

  it("leaves auto-sync Applications to Argo CD", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized, autoSync: true }));
    const [result] = await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }] }, context);
    expect(result!.sync).toBe("auto");
    expect(writes()).toEqual(["PUT /api/v1/applications/web"]);
    expect(fake.getApplication("web")?.status?.operationState).toMatchObject({ phase: "Running", operation: { initiatedBy: { automated: true } } });
  });

  it("updates every Application a selector matches, multi-source ones included", async () => {
    fake.addApplication({ ...multiSourceApp("web-eu", authorized), metadata: { name: "web-eu", annotations: authorized, labels: { app: "web" } } });
    fake.addApplication({ ...multiSourceApp("web-us", authorized), metadata: { name: "web-us", annotations: authorized, labels: { app: "web" } } });
    fake.addApplication(gitApp("api", { annotations: authorized, labels: { app: "api" } }));
    const results = await updateArgoCdApps(
      client,
      { apps: [{ selector: { matchLabels: { app: "web" } }, sources: [{ repoURL: "https://charts.acme.dev", chart: "web", updateTargetRevision: true }] }] },
      context,
    );
    expect(results.map((r) => [r.name, r.expectedRevisions])).toEqual([
      ["web-eu", ["1.3.0", undefined]],
      ["web-us", ["1.3.0", undefined]],
    ]);
    expect(fake.getApplication("web-eu")?.spec?.sources?.[0]?.targetRevision).toBe("1.3.0");
    expect(fake.getApplication("api")?.spec?.source?.targetRevision).toBe("main");
  });

  it("refuses an unannotated Application and writes nothing at all", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized }));
    fake.addApplication(gitApp("payments"));
    const error = await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }, { name: "payments", sources: [pinGitops] }] }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect((error as Error).message).toContain('Argo CD Application argocd/payments does not allow stage "prod" of project "shop"');
    expect((error as Error).message).toContain('kargo.akuity.io/authorized-stage: "shop:prod"');
    expect(writes()).toEqual([]);
  });

  it("names the config field when a source matches nothing", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized }));
    await expect(updateArgoCdApps(client, { apps: [{ name: "web", sources: [{ repoURL: "https://github.com/acme/typo", desiredRevision: SHA }] }] }, context)).rejects.toThrow(
      "argocd-update apps[0].sources[0]: Application argocd/web has no source with repoURL https://github.com/acme/typo",
    );
    expect(writes()).toEqual([]);
  });

  it.each([
    [{ selector: { matchLabels: { app: "nothing" } } }, 'argocd-update apps[0].selector "app=nothing" matched no Application in namespace argocd'],
    [{ selector: { matchLabels: { "app,team": "x" } } }, 'argocd-update apps[0].selector: "app,team" is not a valid label key'],
    [{ selector: { matchLabels: { app: "a,b" } } }, "argocd-update apps[0].selector: the value for \"app\" must be a label value"],
    [{ selector: {} }, "an empty selector would match every Application"],
    [{}, "argocd-update apps[0]: name or selector is required"],
    [{ name: "web", selector: { matchLabels: { app: "web" } } }, "give name or selector, not both"],
  ])("refuses the app selection %j", async (selection, message) => {
    await expect(updateArgoCdApps(client, { apps: [selection] }, context)).rejects.toThrow(message);
  });

  it("does not write or sync twice when run again after a crash", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized }));
    await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }] }, context);
    const [during] = await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }] }, context);
    expect(during!.sync).toBe("running");
    fake.completeSync("web");
    const [after] = await updateArgoCdApps(client, { apps: [{ name: "web", sources: [pinGitops] }] }, context);
    expect(after!.sync).toBe("not-needed");
    expect(writes()).toEqual(["PUT /api/v1/applications/web", "POST /api/v1/applications/web/sync"]);
  });
});
