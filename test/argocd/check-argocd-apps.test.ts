import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkArgoCdApps, type WaitOptions } from "../../src/argocd/check-argocd-apps.js";
import { createArgoCdClient, type ArgoCdClient } from "../../src/argocd/client.js";
import { waitForArgoCdApps } from "../../src/argocd/wait-for-argocd-apps.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp } from "./support/applications.js";
import { contractViolations } from "./support/argocd-contract.js";
import { steppedClock } from "./support/stepped-clock.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const web = { name: "web", namespace: "argocd", expectedRevisions: [SHA] };
const start = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number): WaitOptions => ({ startedAt: start, now: new Date(start.getTime() + seconds * 1000), timeoutMs: 300_000, pollIntervalMs: 5000 });

let fake: FakeArgoCd;
let client: ArgoCdClient;

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
  fake.addApplication(gitApp("web", { targetRevision: SHA }));
  await client.syncApplication(web, {});
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

describe("checkArgoCdApps (one look, never sleeps)", () => {
  it("keeps waiting while the sync runs, then succeeds once Synced and Healthy at the revision", async () => {
    const running = await checkArgoCdApps(client, [web], at(0));
    expect(running).toMatchObject({ done: false, phase: "Running", retryAfterMs: 5000 });
    expect(running.message).toContain("sync operation Running");
    fake.completeSync("web");
    expect(await checkArgoCdApps(client, [web], at(10))).toMatchObject({ done: true, phase: "Succeeded", message: "argocd/web Synced and Healthy" });
  });

  it("fails at once on Degraded, with the app's health message", async () => {
    fake.scriptSync("web", { phase: "Succeeded", health: "Degraded", message: "Deployment web: ImagePullBackOff" });
    fake.completeSync("web");
    const check = await checkArgoCdApps(client, [web], at(10));
    expect(check).toMatchObject({ done: true, phase: "Failed" });
    expect(check.message).toBe("argocd/web: Synced, health Degraded: Deployment web: ImagePullBackOff");
  });

  it("fails when the sync operation itself fails", async () => {
    fake.scriptSync("web", { phase: "Failed", health: "Healthy", message: "Deployment.apps \"web\" is invalid" });
    fake.completeSync("web");
    expect((await checkArgoCdApps(client, [web], at(10))).message).toContain('sync Failed: Deployment.apps "web" is invalid');
  });

  it("keeps waiting on Progressing, and times out saying what it waited for", async () => {
    fake.scriptSync("web", { phase: "Succeeded", health: "Progressing", message: "Waiting for rollout: 1 of 3 replicas" });
    fake.completeSync("web");
    expect(await checkArgoCdApps(client, [web], at(298))).toMatchObject({ done: false, retryAfterMs: 2000 });
    const late = await checkArgoCdApps(client, [web], at(300));
    expect(late).toMatchObject({ done: true, phase: "Failed" });
    expect(late.message).toContain("timed out after 5m");
    expect(late.message).toContain("Waiting for rollout: 1 of 3 replicas");
  });

  it("fails at once on an Application that does not exist", async () => {
    const check = await checkArgoCdApps(client, [{ name: "gone", namespace: "argocd" }], at(0));
    expect(check).toMatchObject({ done: true, phase: "Failed", message: expect.stringContaining("Application gone not found in namespace argocd") });
  });

  it("keeps waiting through an outage, until the timeout", async () => {
    const offline = createArgoCdClient({ server: "http://127.0.0.1:9", token: "t" });
    const check = await checkArgoCdApps(offline, [web], at(0));
    const late = await checkArgoCdApps(offline, [web], at(301));
    await offline.close();
    expect(check).toMatchObject({ done: false, phase: "Running", message: expect.stringContaining("Cannot reach Argo CD at http://127.0.0.1:9") });
    expect(late).toMatchObject({ done: true, phase: "Failed" });
  });
});

describe("waitForArgoCdApps (the local runner's loop)", () => {
  it("polls on the passed-in clock until the app is healthy", async () => {
    const clock = steppedClock(start, (sleeps) => sleeps === 3 && fake.completeSync("web"));
    const result = await waitForArgoCdApps(client, [web], { clock, pollIntervalMs: 5000 });
    expect(result.phase).toBe("Succeeded");
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
  });

  it("stops at the timeout", async () => {
    const clock = steppedClock(start);
    const result = await waitForArgoCdApps(client, [web], { clock, timeoutMs: 60_000, pollIntervalMs: 7000 });
    expect(result).toMatchObject({ phase: "Failed", message: expect.stringContaining("timed out after 1m") });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });
});
