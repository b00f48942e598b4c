import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { startServer, WEBHOOK_PATH, type RunningServer } from "../../src/server.js";
import { MAX_WEBHOOK_BYTES, type Settings } from "../../src/settings.js";
import { DEFAULT_INGRESS_LIMITS, type IngressLimits } from "../../src/web/ingress-limits.js";
import { signBody } from "../../src/web/verify-signature.js";
import { generateAppKeyPair } from "../support/app-keys.js";
import { captureLog } from "../support/capture-log.js";
import { testRedisUrl } from "../support/redis.js";

const SECRET = "webhook-secret-for-hostile-tests";
const { privateKey } = generateAppKeyPair();
const FORGED = `sha256=${"0".repeat(64)}`;

function settings(): Settings {
  return {
    appId: 1,
    privateKey,
    webhookSecret: SECRET,
    githubApiUrl: "http://127.0.0.1:1",
    port: 0,
    host: "127.0.0.1",
    logLevel: "info",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
  };
}

/** A raw socket speaking just enough HTTP/1.1 to send a request in pieces and read the status line. */
interface RawClient {
  socket: Socket;
  /** Resolves with the response status, or 0 when the server closed the socket without answering. */
  status: Promise<number>;
  /** Resolves when the server has closed the socket. */
  closed: Promise<void>;
  headers(): string;
}

function rawClient(port: number): RawClient {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  // The server may reset a connection it refused while we still write: that is the point.
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const status = new Promise<number>((resolve) => {
    const look = () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) resolve(Number(match[1]));
    };
    socket.on("data", look);
    socket.once("close", () => {
      look();
      resolve(0);
    });
  });
  return { socket, status, closed, headers: () => received.split("\r\n\r\n")[0] ?? "" };
}

function requestHead(path: string, headers: Record<string, string | number>): string {
  return [`POST ${path} HTTP/1.1`, "Host: stagecoach.test", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
}

function deliveryHeaders(length: number, signature = FORGED): Record<string, string | number> {
  return { "Content-Type": "application/json", "Content-Length": length, "X-GitHub-Event": "push", "X-GitHub-Delivery": randomUUID(), "X-Hub-Signature-256": signature };
}

async function waitUntil(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the webhook endpoint under attack", () => {
  let server: RunningServer | undefined;
  const clients: RawClient[] = [];
  const start = async (ingress: Partial<IngressLimits> = {}) => {
    server = await startServer({ settings: settings(), log: captureLog().log, syncInstallationsAtStartup: false, ingress });
    return server;
  };
  const open = (s: RunningServer) => {
    const client = rawClient(s.port);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.close();
    server = undefined;
  });

  it("holds no more forged bodies than the in-flight budget: twelve 24 MB bodies at once, ten refused 503 unread", async () => {
    const s = await start();
    const size = 24 * 1024 * 1024;
    const firstPart = Buffer.alloc(1024 * 1024, 0x20);
    const attackers = Array.from({ length: 12 }, () => open(s));
    for (const attacker of attackers) attacker.socket.write(requestHead(WEBHOOK_PATH, deliveryHeaders(size)) + firstPart.toString("latin1"), "latin1");

    // Two bodies fit the 64 MB budget; the other ten are answered before a byte of them is kept.
    await waitUntil(() => s.bodies.inFlight() === 2 * size, "two bodies to be taken in");
    const refused = await Promise.all(attackers.map((a) => Promise.race([a.status, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3_000))])));
    expect(refused.filter((status) => status === 503)).toHaveLength(10);
    expect(refused.filter((status) => status === -1)).toHaveLength(2);
    const refusedOne = attackers[refused.indexOf(503)]!;
    expect(refusedOne.headers()).toMatch(new RegExp(`retry-after: ${DEFAULT_INGRESS_LIMITS.retryAfterSeconds}`, "i"));

    // The two taken in are read to their end and refused for their signature; the budget empties.
    const rest = Buffer.alloc(size - firstPart.length, 0x20);
    const readers = attackers.filter((_, i) => refused[i] === -1);
    for (const reader of readers) reader.socket.write(rest);
    expect(await Promise.all(readers.map((r) => r.status))).toEqual([401, 401]);
    expect(s.bodies.peak()).toBeLessThanOrEqual(DEFAULT_INGRESS_LIMITS.maxBodyBytesInFlight);
    await waitUntil(() => s.bodies.inFlight() === 0, "the budget to be given back");
    const metrics = await s.metrics.registry.getSingleMetricAsString("stagecoach_webhook_deliveries_total");
    expect(metrics).toContain('event="push",outcome="busy"} 10');
  });

  it("refuses a request without a well-formed signature before reading its body", async () => {
    const s = await start();
    const unsigned = open(s);
    const headers = deliveryHeaders(MAX_WEBHOOK_BYTES - 1);
    delete headers["X-Hub-Signature-256"];
    unsigned.socket.write(requestHead(WEBHOOK_PATH, headers));
    const sha1Only = open(s);
    sha1Only.socket.write(requestHead(WEBHOOK_PATH, deliveryHeaders(MAX_WEBHOOK_BYTES - 1, "sha1=0123")));
    expect(await Promise.all([unsigned.status, sha1Only.status])).toEqual([401, 401]);
    expect(s.bodies.peak()).toBe(0);
  });

  it("closes trickling, stalled and silent sockets, and keeps answering /healthz meanwhile", async () => {
    const s = await start({ headersTimeoutMs: 1_000, requestTimeoutMs: 4_000, connectionsCheckingIntervalMs: 100, bodyIdleTimeoutMs: 400, bodyRateGraceMs: 600, minBodyBytesPerSecond: 1024 });
    const head = requestHead(WEBHOOK_PATH, deliveryHeaders(64 * 1024));
    const slowHeaders = Array.from({ length: 70 }, () => open(s));
    const slowBodies = Array.from({ length: 70 }, () => open(s));
    const stalled = Array.from({ length: 40 }, () => open(s));
    const silent = Array.from({ length: 20 }, () => open(s));
    for (const client of [...slowBodies, ...stalled]) client.socket.write(head);
    for (const client of stalled) client.socket.write("{");
    let sent = 0;
    const trickle = setInterval(() => {
      for (const client of slowHeaders) if (!client.socket.destroyed) client.socket.write(head.charAt(sent % head.length));
      for (const client of slowBodies) if (!client.socket.destroyed) client.socket.write(" ");
      sent++;
    }, 100);
    try {
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      await Promise.all([...slowHeaders, ...slowBodies, ...stalled, ...silent].map((c) => c.closed));
      expect(await Promise.all(slowBodies.map((c) => c.status))).toEqual(Array(70).fill(408));
      expect(await Promise.all(stalled.map((c) => c.status))).toEqual(Array(40).fill(408));
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      clearInterval(trickle);
    }
  });

  it("accepts at most maxConnections sockets and drops the rest at once", async () => {
    const s = await start({ maxConnections: 20, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    const held = Array.from({ length: 20 }, () => open(s));
    await Promise.all(held.map((c) => new Promise((resolve) => (c.socket.readyState === "open" ? resolve(undefined) : c.socket.once("connect", resolve)))));
    // Let the server accept all twenty before the next one knocks.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const extra = open(s);
    extra.socket.write("GET /healthz HTTP/1.1\r\nHost: stagecoach.test\r\n\r\n");
    await extra.closed;
    expect(await extra.status).toBe(0);
    for (const client of held) client.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it("refuses a signed body that is a JSON array, not an event object, with 400", async () => {
    const s = await start();
    for (const body of ["[]", "[{\"action\":\"created\"}]", "42", "\"push\""]) {
      const headers = { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": signBody(SECRET, body) };
      const response = await fetch(`${s.url}${WEBHOOK_PATH}`, { method: "POST", body, headers });
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe("body is not a JSON object");
    }
  });
});

describe.each([
  { driver: "memory", redis: false },
  { driver: "bullmq", redis: true },
])("replayed deliveries ($driver queue)", ({ redis }) => {
  it("hands a signed body on once, whether it comes back under its own delivery ID or new ones", async () => {
    const synced: number[] = [];
    const server = await startServer({
      settings: { ...settings(), ...(redis ? { redisUrl: testRedisUrl() } : {}) },
      log: captureLog().log,
      queuePrefix: `security-${randomUUID()}`,
      syncInstallationsAtStartup: false,
      onInstallationSynced: (installationId) => synced.push(installationId),
    });
    try {
      // "deleted" makes the sync job finish without calling GitHub.
      const body = JSON.stringify({ action: "deleted", installation: { id: 4242, account: { login: "acme" } }, repositories: [], sender: { login: "octocat" } });
      const send = (id: string) =>
        fetch(`${server.url}${WEBHOOK_PATH}`, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "installation", "x-github-delivery": id, "x-hub-signature-256": signBody(SECRET, body) } });
      const original = randomUUID();
      const answers = await Promise.all([...Array.from({ length: 10 }, () => send(original)), ...Array.from({ length: 10 }, () => send(randomUUID()))]);
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      await waitUntil(() => synced.length > 0, "the one sync");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(synced).toEqual([4242]);
      const metrics = await server.metrics.registry.getSingleMetricAsString("stagecoach_webhook_deliveries_total");
      expect(metrics).toContain('event="installation",outcome="accepted"} 1');
      expect(metrics).toContain('event="installation",outcome="duplicate"} 19');
    } finally {
      await server.close();
    }
  });
});
