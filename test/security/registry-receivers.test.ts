import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { startServer, type RunningServer } from "../../src/server.js";
import { MAX_WEBHOOK_BYTES, type Settings } from "../../src/settings.js";
import { REGISTRY_WEBHOOK_PROVIDERS } from "../../src/warehouse/registry-webhooks/providers/index.js";
import { MAX_PUSHES_PER_NOTIFICATION } from "../../src/warehouse/registry-webhooks/types.js";
import { MAX_JSON_DEPTH } from "../../src/web/parse-json-body.js";
import { MAX_REGISTRY_WEBHOOK_BYTES, REGISTRY_WEBHOOKS_PATH } from "../../src/web/registry-webhooks.js";
import { generateAppKeyPair } from "../support/app-keys.js";
import { captureLog, type CapturedLog } from "../support/capture-log.js";

const SECRET = "registry-receiver-secret-for-hostile-tests";
const OTHER = "not-the-receiver-secret-at-all-0000";
const PROVIDERS = Object.keys(REGISTRY_WEBHOOK_PROVIDERS);
const { privateKey } = generateAppKeyPair();
const fixture = (name: string) => readFileSync(new URL(`../fixtures/registry-webhooks/${name}.json`, import.meta.url), "utf8");
const hmac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    appId: 1,
    privateKey,
    webhookSecret: "github-webhook-secret",
    githubApiUrl: "http://127.0.0.1:1",
    port: 0,
    host: "127.0.0.1",
    logLevel: "info",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
    registryWebhookSecrets: Object.fromEntries(PROVIDERS.map((p) => [p, SECRET])),
    ...overrides,
  };
}

/** The path and headers with which each registry proves it knows `secret`, as that registry sends it. */
function credentials(provider: string, body: string, secret = SECRET): { path: string; headers: Record<string, string> } {
  switch (provider) {
    case "dockerhub":
    case "quay":
      return { path: `/${provider}/${secret}`, headers: {} };
    case "artifactory":
      return { path: `/${provider}`, headers: { "x-jfrog-event-auth": hmac(secret, body) } };
    case "generic":
      return { path: `/${provider}`, headers: { "x-hub-signature-256": `sha256=${hmac(secret, body)}` } };
    default:
      return { path: `/${provider}`, headers: { authorization: secret } };
  }
}

/** A payload of each provider's shape that names one push. */
const GOOD: Record<string, string> = {
  dockerhub: fixture("dockerhub"),
  quay: fixture("quay"),
  harbor: fixture("harbor"),
  distribution: fixture("distribution"),
  artifactory: fixture("artifactory"),
  acr: fixture("acr"),
  generic: JSON.stringify({ repository: "ghcr.io/acme/app", tag: "1.2.3" }),
};

/** A payload of each provider's shape whose list of pushes is over the budget (where the shape has a list). */
const MANY_PUSHES: Record<string, string | undefined> = {
  quay: JSON.stringify({ docker_url: "quay.io/acme/app", updated_tags: Array.from({ length: 5_000 }, (_, i) => `t${i}`) }),
  harbor: JSON.stringify({ type: "PUSH_ARTIFACT", event_data: { resources: Array.from({ length: 5_000 }, (_, i) => ({ resource_url: `harbor.example.com/acme/app:${i}`, tag: String(i) })) } }),
  distribution: JSON.stringify({ events: Array.from({ length: 5_000 }, (_, i) => ({ id: String(i), action: "push", target: { repository: "acme/app", tag: String(i) }, request: { host: "registry.example.com" } })) }),
};

describe("registry receivers against hostile requests", () => {
  let server: RunningServer;
  let captured: CapturedLog;
  beforeAll(async () => {
    captured = captureLog();
    server = await startServer({ settings: settings(), log: captured.log, syncInstallationsAtStartup: false });
  });
  afterAll(async () => {
    await server?.close();
  });
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${server.url}${REGISTRY_WEBHOOKS_PATH}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const message = async (response: Response) => ((await response.json()) as { message: string }).message;

  it.each(PROVIDERS)("%s: accepts its own push, the baseline for the refusals below", async (provider) => {
    const { path, headers } = credentials(provider, GOOD[provider]!);
    const response = await post(path, GOOD[provider]!, headers);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ pushes: provider === "quay" ? 2 : 1 });
  });

  it.each(PROVIDERS)("%s: a wrong secret is 401, and nothing of the body is kept unless the registry signs it", async (provider) => {
    const before = server.bodies.peak();
    const padded = JSON.stringify({ padding: "x".repeat(900 * 1024) });
    const wrong = credentials(provider, padded, OTHER);
    const response = await post(wrong.path, padded, wrong.headers);
    expect(response.status).toBe(401);
    expect(await message(response)).toContain(`missing or wrong secret for the ${provider} receiver`);
    if (REGISTRY_WEBHOOK_PROVIDERS[provider]!.signature === undefined) expect(server.bodies.peak()).toBe(before);
    else expect(server.bodies.peak()).toBeGreaterThanOrEqual(900 * 1024);
    const none = await post(`/${provider}`, GOOD[provider]!, {});
    expect(none.status).toBe(401);
  });

  it.each(["harbor", "acr", "distribution"])("%s: `Basic <secret>` is not the secret", async (provider) => {
    expect((await post(`/${provider}`, GOOD[provider]!, { authorization: `Basic ${SECRET}` })).status).toBe(401);
  });

  it.each(PROVIDERS)("%s: a body over the size limit is 413, refused by its declared length", async (provider) => {
    const body = JSON.stringify({ padding: "x".repeat(MAX_REGISTRY_WEBHOOK_BYTES) });
    const { path, headers } = credentials(provider, body);
    const response = await post(path, body, headers);
    expect(response.status).toBe(413);
  });

  it.each(PROVIDERS)("%s: malformed JSON is 400", async (provider) => {
    const body = `${GOOD[provider]!.slice(0, 40)}`;
    const { path, headers } = credentials(provider, body);
    const response = await post(path, body, headers);
    expect(response.status).toBe(400);
    expect(await message(response)).toMatch(/^the body is not JSON/);
  });

  it.each(PROVIDERS)("%s: JSON nested past the depth budget is 400 before it is parsed", async (provider) => {
    const depth = 200_000;
    const body = `{"repository":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const { path, headers } = credentials(provider, body);
    const response = await post(path, body, headers);
    expect(response.status).toBe(400);
    expect(await message(response)).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it.each(Object.keys(MANY_PUSHES))("%s: a notification naming thousands of pushes is 400, not fanned out", async (provider) => {
    const body = MANY_PUSHES[provider]!;
    const { path, headers } = credentials(provider, body);
    const response = await post(path, body, headers);
    expect(response.status).toBe(400);
    expect(await message(response)).toContain(`has more than ${MAX_PUSHES_PER_NOTIFICATION} entries`);
  });

  it.each(["dockerhub", "quay"])("%s: the URL token is in no log line when the request is aborted mid-body", async (provider) => {
    const before = captured.lines.length;
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, "127.0.0.1", () => {
        socket.write(`POST ${REGISTRY_WEBHOOKS_PATH}/${provider}/${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"repo`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.stringify(captured.lines.slice(before))).not.toContain(SECRET);
  });
});

describe("registry receivers when the queue cannot take the push", () => {
  it("logs the failed request with the receiver's path, the URL token redacted", async () => {
    const captured = captureLog();
    // A Redis that does not answer: the enqueue fails and the request ends in the server's error log.
    const server = await startServer({ settings: settings({ redisUrl: "redis://127.0.0.1:1" }), log: captured.log, syncInstallationsAtStartup: false });
    try {
      const response = await fetch(`${server.url}${REGISTRY_WEBHOOKS_PATH}/dockerhub/${SECRET}`, { method: "POST", body: GOOD.dockerhub, headers: { "content-type": "application/json" } });
      expect(response.status).toBe(500);
      const failed = captured.lines.find((l) => l.msg === "request failed");
      expect(failed?.path).toBe(`${REGISTRY_WEBHOOKS_PATH}/dockerhub/[redacted]`);
      expect(JSON.stringify(captured.lines)).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });
});
