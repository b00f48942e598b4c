import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArgoCdClient, type ArgoCdClient } from "../../src/argocd/client.js";
import { readStageHealth } from "../../src/argocd/read-stage-health.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp } from "./support/applications.js";
import { contractViolations } from "./support/argocd-contract.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
let fake: FakeArgoCd;
let client: ArgoCdClient;

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
  for (const name of ["web", "api"]) {
    fake.addApplication(gitApp(name, { targetRevision: SHA }));
    await client.syncApplication({ name, namespace: "argocd" }, {});
    fake.completeSync(name);
  }
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

const targets = [
  { name: "web", namespace: "argocd", expectedRevisions: [SHA] },
  { name: "api", namespace: "argocd", expectedRevisions: [SHA] },
];

describe("readStageHealth", () => {
  it("is Healthy when every app is, and NotApplicable without apps", async () => {
    expect((await readStageHealth(client, targets)).health).toBe("Healthy");
    expect((await readStageHealth(client, [])).health).toBe("NotApplicable");
  });

  it("follows the least healthy app", async () => {
    fake.setHealth("api", "Progressing", "rolling out");
    expect((await readStageHealth(client, targets)).health).toBe("Progressing");
    fake.setHealth("web", "Degraded", "CrashLoopBackOff");
    const { health, apps } = await readStageHealth(client, targets);
    expect(health).toBe("Unhealthy");
    expect(apps.map((a) => a.message)).toContain("argocd/web: Synced, health Degraded: CrashLoopBackOff");
  });

  it("counts an app Argo CD cannot report on as Unknown", async () => {
    const { health, apps } = await readStageHealth(client, [...targets, { name: "gone", namespace: "argocd" }]);
    expect(health).toBe("Unknown");
    expect(apps.at(-1)!.message).toContain("Application gone not found");
  });
});
