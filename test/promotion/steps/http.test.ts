import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { createStepHarness, type StepHarness } from "../support/step-harness.js";

let server: Server;
let base: string;
let port: number;
const seen: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url?.startsWith("/hang")) return;
      if (req.url?.startsWith("/huge")) {
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024, 97);
        const send = (left: number): void => {
          if (left === 0 || res.destroyed) return void res.end();
          res.write(chunk, () => send(left - 1));
        };
        return send(12);
      }
      const status = Number(new URL(req.url ?? "/", "http://x").searchParams.get("status") ?? 200);
      res.writeHead(status, { "content-type": "application/json", "x-build": "42" });
      res.end(JSON.stringify({ state: status === 200 ? "ready" : "pending", version: "1.2.3" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

let h: StepHarness;
beforeEach(async () => {
  h = await createStepHarness();
  seen.length = 0;
});
afterEach(() => h.dispose());

const allowLocal = { services: { allowedPrivateHosts: ["127.0.0.1"] } };

describe("http", () => {
  it("sends method, headers, query and body; decides with successExpression; computes outputs", async () => {
    const result = await h.run(
      "http",
      {
        method: "POST",
        url: `${base}/deploy`,
        headers: [{ name: "Authorization", value: "Bearer t" }],
        queryParams: [{ name: "env", value: "prod" }],
        body: '{"tag":"1.4.0"}',
        successExpression: "response.status == 200 && response.body.state == 'ready'",
        outputs: [
          { name: "version", fromExpression: "response.body.version" },
          { name: "build", fromExpression: "response.headers['x-build']" },
        ],
      },
      allowLocal,
    );
    expect(result).toEqual({ phase: "Succeeded", outputs: { version: "1.2.3", build: "42" } });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/deploy?env=prod", body: '{"tag":"1.4.0"}' });
    expect(seen[0]?.headers.authorization).toBe("Bearer t");
  });

  it("keeps polling (Running) while neither expression holds, and fails when failureExpression holds", async () => {
    const config = { url: `${base}/?status=202`, successExpression: "response.body.state == 'ready'", failureExpression: "response.status >= 500" };
    expect((await h.run("http", config, allowLocal)).phase).toBe("Running");
    const failed = await h.run("http", { ...config, url: `${base}/?status=503` }, allowLocal).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StepFailure);
    expect((failed as Error).message).toBe(`GET ${base}/?status=503 answered 503, which counts as failure`);
  });

  it("without expressions, 2xx succeeds and anything else fails", async () => {
    expect((await h.run("http", { url: `${base}/` }, allowLocal)).phase).toBe("Succeeded");
    await expect(h.run("http", { url: `${base}/?status=404` }, allowLocal)).rejects.toThrow(/answered 404/);
  });

  it.each([
    ["a loopback address", () => `${base}/`],
    ["a name that resolves to loopback", () => `http://localhost:${port}/`],
    ["a link-local address (cloud metadata)", () => "http://169.254.169.254/latest/meta-data/"],
    ["a private address", () => "http://10.1.2.3/"],
    ["an IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${port}/`],
  ])("refuses %s unless the configuration allows it", async (_label, url) => {
    const error = await h.run("http", { url: url(), timeout: "2s" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as Error).message).toMatch(/^config\.url: .* is or resolves to a non-public address .*set STAGECOACH_ALLOW_PRIVATE_HOSTS=\S+ to allow this host$/);
    expect(seen).toHaveLength(0);
  });

  it("allows every private address when allowPrivateNetworks is on", async () => {
    expect((await h.run("http", { url: `http://localhost:${port}/` }, { services: { allowPrivateNetworks: true } })).phase).toBe("Succeeded");
  });

  it("stops reading a body larger than 10 MiB", async () => {
    await expect(h.run("http", { url: `${base}/huge` }, allowLocal)).rejects.toThrow(/answered with more than 10485760 bytes/);
  });

  it("gives up after the timeout with a message naming it", async () => {
    await expect(h.run("http", { url: `${base}/hang`, timeout: "300ms" }, allowLocal)).rejects.toThrow(`${base}/hang did not answer within 300ms; raise config.timeout`);
  });

  it("names a success expression that does not parse", async () => {
    await expect(h.run("http", { url: `${base}/`, successExpression: "response.(" }, allowLocal)).rejects.toThrow(/^config.successExpression: cannot parse expression/);
  });

  it.each([
    [{ url: "not a url" }, /config.url: "not a url" is not a URL/],
    [{ url: "file:///etc/passwd" }, /only http and https are allowed, not file:/],
    [{ url: "https://example.com", timeout: "soon" }, /config.timeout: "soon" is not a duration/],
  ])("refuses bad config %#", async (config, message) => {
    await expect(h.run("http", config)).rejects.toThrow(message);
  });
});
