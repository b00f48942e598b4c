import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { startServer, WEBHOOK_PATH, type RunningServer } from "../../src/server.js";
import { MAX_WEBHOOK_BYTES, type Settings } from "../../src/settings.js";
import { signBody } from "../../src/web/verify-signature.js";
import type { BullmqQueue } from "../../src/queue/bullmq-queue.js";
import { generateAppKeyPair } from "../support/app-keys.js";
import { captureLog, type CapturedLog } from "../support/capture-log.js";
import { testRedisUrl } from "../support/redis.js";

const SECRET = "webhook-secret-for-tests";
const { privateKey } = generateAppKeyPair();

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    appId: 1,
    privateKey,
    webhookSecret: SECRET,
    // Nothing listens there: jobs that call GitHub fail fast instead of reaching for the internet.
    githubApiUrl: "http://127.0.0.1:1",
    redisUrl: testRedisUrl(),
    port: 0,
    host: "127.0.0.1",
    logLevel: "info",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
    ...overrides,
  };
}

interface Reply {
  status: number;
  body: string;
}

function post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

// "deleted" makes the queued job finish without calling GitHub, which these tests do not run.
const installationPayload = JSON.stringify({
  action: "deleted",
  installation: { id: 42, account: { login: "acme" } },
  repositories: [],
  sender: { login: "octocat" },
});

describe("webhook endpoint", () => {
  let server: RunningServer;
  let captured: CapturedLog;
  let prefix: string;

  beforeEach(async () => {
    captured = captureLog();
    prefix = `test-${randomUUID()}`;
    // These tests count queued jobs, so the startup sync (one more job) stays off.
    server = await startServer({ settings: settings(), log: captured.log, queuePrefix: prefix, syncInstallationsAtStartup: false });
  });
  afterEach(async () => {
    await server.close();
  });

  async function outstandingJobs(): Promise<number> {
    return (server.queue as BullmqQueue).countOutstanding();
  }

  function headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      "content-type": "application/json",
      "x-github-event": "installation",
      "x-github-delivery": randomUUID(),
      ...extra,
    };
  }

  it("refuses a forged signature with 401, one log line, and enqueues nothing", async () => {
    const forged = signBody("not-the-secret", installationPayload);
    const before = captured.lines.length;
    const reply = await post(`${server.url}${WEBHOOK_PATH}`, headers({ "x-hub-signature-256": forged }), installationPayload);
    expect(reply.status).toBe(401);
    const newLines = captured.lines.slice(before);
    expect(newLines.map((l) => l.msg)).toEqual(["webhook refused: signature does not match WEBHOOK_SECRET"]);
    expect(await outstandingJobs()).toBe(0);
  });

  it("refuses a delivery with no signature header with 401", async () => {
    const reply = await post(`${server.url}${WEBHOOK_PATH}`, headers(), installationPayload);
    expect(reply.status).toBe(401);
    expect(captured.messages()).toContain("webhook refused: no X-Hub-Signature-256 header");
    expect(await outstandingJobs()).toBe(0);
  });

  it("refuses a signed body that is not JSON with 400", async () => {
    const body = "{not json";
    const reply = await post(`${server.url}${WEBHOOK_PATH}`, headers({ "x-hub-signature-256": signBody(SECRET, body) }), body);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).message).toBe("body is not a JSON object");
    expect(await outstandingJobs()).toBe(0);
  });

  it("refuses a signed delivery without an event name with 400", async () => {
    const h = headers({ "x-hub-signature-256": signBody(SECRET, installationPayload) });
    delete h["x-github-event"];
    const reply = await post(`${server.url}${WEBHOOK_PATH}`, h, installationPayload);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).message).toBe("no X-GitHub-Event header");
  });

  it("refuses a body over 25 MB with 413 without reading it whole", async () => {
    const big = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20);
    const reply = await post(`${server.url}${WEBHOOK_PATH}`, headers({ "x-hub-signature-256": signBody(SECRET, big) }), big);
    expect(reply.status).toBe(413);
    expect(await outstandingJobs()).toBe(0);
  });

  it("accepts a correctly signed delivery and queues exactly one job, even when redelivered", async () => {
    const h = headers({ "x-hub-signature-256": signBody(SECRET, installationPayload) });
    const first = await post(`${server.url}${WEBHOOK_PATH}`, h, installationPayload);
    const second = await post(`${server.url}${WEBHOOK_PATH}`, h, installationPayload);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(captured.messages()).toContain("delivery already handled; ignoring the redelivery");
    const metrics = await server.metrics.registry.getSingleMetricAsString("stagecoach_webhook_deliveries_total");
    expect(metrics).toContain('event="installation",outcome="accepted"} 1');
    expect(metrics).toContain('event="installation",outcome="duplicate"} 1');
    expect(await outstandingJobs()).toBeLessThanOrEqual(1);
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", queue: { driver: "bullmq", reachable: true } });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(await metrics.text()).toContain("stagecoach_webhook_deliveries_total");
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}${WEBHOOK_PATH}`)).status).toBe(405);
  });
});

describe("readiness without Redis", () => {
  it("reports 503 when the configured Redis does not answer", async () => {
    const server = await startServer({ settings: settings({ redisUrl: "redis://127.0.0.1:1" }), log: captureLog().log, syncInstallationsAtStartup: false });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "not ready", queue: { driver: "bullmq", reachable: false } });
    } finally {
      await server.close();
    }
  });

  it("is ready on the embedded in-memory queue", async () => {
    const server = await startServer({ settings: settings({ redisUrl: undefined }), log: captureLog().log, syncInstallationsAtStartup: false });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ status: "ready", queue: { driver: "memory", reachable: true } });
    } finally {
      await server.close();
    }
  });
});
