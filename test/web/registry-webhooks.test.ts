import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/web/http-server.js";
import { createRegistryWebhookEndpoint, REGISTRY_WEBHOOKS_PATH } from "../../src/web/registry-webhooks.js";
import type { RegistryPush } from "../../src/warehouse/registry-webhooks/types.js";
import { captureLog } from "../support/capture-log.js";
import { startRegistry, type TestRegistry } from "../support/distribution-registry.js";

const SECRET = "s3cret-receiver-token-0123";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/registry-webhooks/${name}.json`, import.meta.url), "utf8");

describe("POST /api/registry-webhooks/<provider>", () => {
  let server: Server;
  let base = "";
  const received: { provider: string; pushes: RegistryPush[]; deliveryId: string }[] = [];
  const captured = captureLog();
  beforeAll(async () => {
    const secrets = { dockerhub: SECRET, quay: SECRET, harbor: SECRET, distribution: SECRET, acr: SECRET, artifactory: SECRET, generic: SECRET };
    server = createHttpServer(
      [{ method: "POST", path: REGISTRY_WEBHOOKS_PATH, prefix: true, handler: createRegistryWebhookEndpoint({ secrets, log: captured.log, maxBytes: 64 * 1024, onPushes: async (provider, pushes, deliveryId) => void received.push({ provider, pushes, deliveryId }) }) }],
      captured.log,
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${REGISTRY_WEBHOOKS_PATH}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  it("accepts a Docker Hub push with the secret in the URL and hands over the image", async () => {
    const response = await post(`/dockerhub/${SECRET}`, fixture("dockerhub"));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ pushes: 1 });
    expect(received).toEqual([{ provider: "dockerhub", pushes: [{ repository: "docker.io/acme/app", tag: "1.4.0" }], deliveryId: expect.stringMatching(/^dockerhub:[0-9a-f]{32}$/) }]);
  });

  it("answers a wrong or missing secret with 401, one log line without the secret, and does nothing", async () => {
    const before = captured.lines.length;
    for (const [path, headers] of [[`/dockerhub/not-the-secret`, {}], ["/dockerhub", {}], ["/harbor", { authorization: "Bearer nope" }], ["/generic", { "x-hub-signature-256": "sha256=00" }]] as const) {
      const response = await post(path, path.includes("harbor") ? fixture("harbor") : fixture("dockerhub"), headers);
      expect(response.status, path).toBe(401);
      expect((await response.json()) as { message: string }).toMatchObject({ message: expect.stringContaining("missing or wrong secret") });
    }
    expect(received).toEqual([]);
    const lines = captured.lines.slice(before);
    expect(lines.map((l) => l.msg)).toEqual(Array(4).fill("registry webhook refused: missing or wrong secret"));
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it("names the receivers for an unknown provider and refuses other methods", async () => {
    const unknown = await post("/gitlab", "{}");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe('no registry receiver "gitlab"; receivers: dockerhub, quay, harbor, distribution, artifactory, acr, generic');
    expect((await fetch(`${base}/generic`)).status).toBe(405);
    expect((await post("/__proto__", "{}")).status).toBe(404);
  });

  it("answers 400 for a body that is not JSON or not the provider's shape, 413 when too big", async () => {
    const auth = { authorization: `Bearer ${SECRET}` };
    const notJson = await post("/generic", "repository=ghcr.io/acme/app", auth);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toContain('the body is not JSON; the generic receiver reads {"repository": "ghcr.io/acme/app", "tag": "1.2.3"}');
    const wrongShape = await post("/harbor", JSON.stringify({ type: "PUSH_ARTIFACT", event_data: { resources: "all" } }), auth);
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { message: string }).message).toBe("not a harbor push payload: event_data.resources must be a list");
    const deep = await post("/generic", `${"[".repeat(5000)}${"]".repeat(5000)}`, auth);
    expect(deep.status).toBe(400);
    const huge = await post("/generic", JSON.stringify({ repository: "ghcr.io/acme/app", padding: "x".repeat(70 * 1024) }), auth);
    expect(huge.status).toBe(413);
    expect(received).toEqual([]);
  });

  it("accepts events that are not pushes without handing anything over", async () => {
    const response = await post("/harbor", fixture("harbor-delete"), { authorization: SECRET });
    expect(await response.json()).toEqual({ pushes: 0 });
    expect(response.status).toBe(202);
    expect(received).toEqual([]);
  });

  it("drops repository names that are not image repositories instead of trusting them", async () => {
    const auth = { authorization: `Bearer ${SECRET}` };
    for (const repository of ["ghcr.io/../../etc/passwd", "ghcr.io/acme/has space", "https://evil.example/x", "ghcr.io/ACME/App"]) {
      const response = await post("/generic", JSON.stringify({ repository }), auth);
      expect(response.status).toBe(202);
    }
    expect(received.map((r) => r.pushes[0]!.repository)).toEqual(["ghcr.io/ACME/App"]);
  });

  it("verifies Artifactory's signature over the exact bytes", async () => {
    const payload = fixture("artifactory");
    const good = await post("/artifactory", payload, { "x-jfrog-event-auth": createHmac("sha256", SECRET).update(payload).digest("hex") });
    expect(good.status).toBe(202);
    expect(received[0]?.pushes).toEqual([{ repository: "acme.jfrog.io/docker-local/app", tag: "1.4.0", digest: expect.stringMatching(/^sha256:/) }]);
  });

  it("receives the notifications a real CNCF Distribution registry sends on push", async () => {
    const registry: TestRegistry = await startRegistry({ notifications: { url: `${base}/distribution`, headers: { Authorization: `Bearer ${SECRET}` } } });
    try {
      const digest = await registry.pushImage("acme/app", "3.1.4");
      const deadline = Date.now() + 10_000;
      while (!received.some((r) => r.pushes.some((p) => p.tag === "3.1.4")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const push = received.flatMap((r) => r.pushes).find((p) => p.tag === "3.1.4");
      expect(push).toEqual({ repository: `${registry.host}/acme/app`, tag: "3.1.4", digest });
      expect(received.find((r) => r.pushes.includes(push!))?.deliveryId).toMatch(/^distribution:[0-9a-f-]{36}/);
    } finally {
      await registry.close();
    }
  });
});
