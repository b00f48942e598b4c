import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { WEBHOOK_PATH, type RunningServer } from "../../src/server.js";
import { signBody } from "../../src/web/verify-signature.js";
import { captureLog, type CapturedLog } from "../support/capture-log.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

function waitFor<T>(read: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = read();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * The App as it runs in production (Probot, webhook endpoint, BullMQ on a real Redis) against the
 * GitHub sandbox on real git: installation, ping, a forged delivery and a redelivery.
 */
describe("end to end: the App installed on a sandbox repository", () => {
  let t: TestSandbox;
  let server: RunningServer;
  let captured: CapturedLog;
  const synced: Array<{ installationId: number; repositories: string[] }> = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    captured = captureLog();
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    server = await startAppOnSandbox(t, {
      log: captured.log,
      onInstallationSynced: (installationId, repositories) => synced.push({ installationId, repositories }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("answers GitHub's ping", async () => {
    await t.sandbox.waitForIdle();
    const ping = t.sandbox.deliveries().find((d) => d.event === "ping");
    expect(ping?.status).toBe(202);
    expect(captured.messages()).toContain('ping received: "Keep it logically awesome."');
  });

  it("handles the installation: a job learns the repositories with an installation token from the sandbox", async () => {
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    await t.sandbox.waitForIdle();
    const delivery = t.sandbox.deliveries().find((d) => d.event === "installation");
    expect(delivery?.status).toBe(202);
    const result = await waitFor(() => synced.find((s) => s.installationId === installationId), "the sync-installation job");
    expect(result.repositories).toEqual(["acme/gitops"]);
    expect(t.sandbox.stats()["POST /app/installations/{installation_id}/access_tokens"]?.calls).toBe(1);
  });

  it("does not process a redelivered installation twice", async () => {
    const delivery = t.sandbox.deliveries().find((d) => d.event === "installation")!;
    const before = synced.length;
    t.sandbox.redeliver(delivery.id);
    await t.sandbox.waitForIdle();
    expect(t.sandbox.deliveries().at(-1)).toMatchObject({ id: delivery.id, redelivery: true, status: 202 });
    expect(captured.messages()).toContain("delivery already handled; ignoring the redelivery");
    // Give a wrongly queued second job the time to run before asserting it did not.
    await new Promise((r) => setTimeout(r, 500));
    expect(synced.length).toBe(before);
  });

  it("refuses a forged delivery", async () => {
    const delivery = t.sandbox.deliveries().find((d) => d.event === "installation")!;
    const response = await fetch(`${server.url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "installation",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signBody("guessed-secret", delivery.body),
      },
      body: delivery.body,
    });
    expect(response.status).toBe(401);
    const deliveries = await server.metrics.registry.getSingleMetricAsString("stagecoach_webhook_deliveries_total");
    expect(deliveries).toContain('event="installation",outcome="bad_signature"} 1');
  });
});
