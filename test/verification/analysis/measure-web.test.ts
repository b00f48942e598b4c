import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../src/clock.js";
import { parseHostAllowList } from "../../../src/network/read-network-policy.js";
import {
  createAnalysisRun,
  createMeasureMetric,
  measureWeb,
  readAnalysisTemplate,
  runAnalysisToCompletion,
  serializeAnalysisRun,
  type MetricSpec,
  type ProviderContext,
} from "../../../src/verification/analysis/index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
let context: ProviderContext;
const seen: Seen[] = [];

/** A small metrics endpoint on loopback whose answers depend on the path. */
const ROUTES: Record<string, (request: Seen) => [number, string, string?]> = {
  "/measure": () => [200, JSON.stringify({ data: { ok: true, successPercent: 0.95, items: [{ v: 1 }, { v: 2 }] } })],
  "/text": () => [200, "all good", "text/plain"],
  "/echo": (request) => [200, JSON.stringify({ auth: request.headers.authorization ?? null, body: request.body })],
  "/broken": () => [503, "down"],
  "/moved": () => [302, ""],
  "/huge": () => [200, JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) })],
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const entry: Seen = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body };
      seen.push(entry);
      const path = (request.url ?? "").split("?")[0] ?? "";
      if (path === "/slow") return void setTimeout(() => response.writeHead(200).end("{}"), 3_000);
      const route = ROUTES[path];
      if (!route) return void response.writeHead(404).end();
      const [status, text, type = "application/json"] = route(entry);
      response.writeHead(status, { "content-type": type, ...(status === 302 ? { location: "http://example.invalid/" } : {}) }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  base = `http://127.0.0.1:${port}`;
  context = { policy: parseHostAllowList(`127.0.0.1:${port}`), clock: systemClock, settings: { credentials: [{ address: `${base}/echo`, bearerToken: "operator-token" }] } };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const web = (spec: Partial<NonNullable<MetricSpec["provider"]["web"]>> & { url: string }, conditions: Partial<MetricSpec> = {}): MetricSpec => ({
  name: "web",
  ...conditions,
  provider: { web: spec },
});

describe("measureWeb against a local server", () => {
  it("selects the value with jsonPath and judges it", async () => {
    const measurement = await measureWeb(web({ url: `${base}/measure`, jsonPath: "{$.data}" }, { successCondition: "result.ok && result.successPercent >= 0.90" }), context);
    expect(measurement).toMatchObject({ phase: "Successful", value: '{"ok":true,"successPercent":0.95,"items":[{"v":1},{"v":2}]}' });
    const failed = await measureWeb(web({ url: `${base}/measure`, jsonPath: "{.data.items[-1].v}" }, { successCondition: "result == 1" }), context);
    expect(failed).toMatchObject({ phase: "Failed", value: "2" });
  });

  it("takes the text itself when the answer is not JSON", async () => {
    expect(await measureWeb(web({ url: `${base}/text` }, { successCondition: 'result == "all good"' }), context)).toMatchObject({ phase: "Successful", value: "all good" });
  });

  it("sends POST with a JSON body, and the operator's token only to its address", async () => {
    const measurement = await measureWeb(web({ url: `${base}/echo`, method: "POST", jsonBody: { service: "api" } }, { successCondition: 'result.auth == "Bearer operator-token"' }), context);
    expect(measurement.phase).toBe("Successful");
    const request = seen.at(-1) as Seen;
    expect(request).toMatchObject({ method: "POST", body: '{"service":"api"}' });
    expect(request.headers["content-type"]).toBe("application/json");
    await measureWeb(web({ url: `${base}/measure` }), context);
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("turns a non-2xx answer, a redirect, a slow and a huge answer into Error measurements", async () => {
    expect((await measureWeb(web({ url: `${base}/broken` }), context)).message).toBe("received non 2xx response code: 503");
    expect((await measureWeb(web({ url: `${base}/moved` }), context)).message).toContain("redirects are not followed");
    expect((await measureWeb(web({ url: `${base}/slow`, timeoutSeconds: 1 }), context)).message).toBe("no answer within 1 s");
    expect((await measureWeb(web({ url: `${base}/huge` }), context)).message).toContain("larger than 1024 KiB");
    expect((await measureWeb(web({ url: `${base}/measure`, jsonPath: "{$.data.missing}" }), context)).message).toBe("Could not find JSONPath in body: missing is not found");
  });

  it("is refused by the address guard when the policy does not allow loopback", async () => {
    const measurement = await measureWeb(web({ url: `${base}/measure` }), { ...context, policy: {} });
    expect(measurement.phase).toBe("Error");
    expect(measurement.message).toContain("STAGECOACH_ALLOW_PRIVATE_HOSTS");
    expect(measurement.message).toContain("loopback");
  });

  it("resolves a secret arg from the operator's secrets and keeps its value out of the record", async () => {
    const reading = readAnalysisTemplate({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AnalysisTemplate",
      metadata: { name: "web" },
      spec: {
        args: [{ name: "token", valueFrom: { secretKeyRef: { name: "metrics", key: "token" } } }, { name: "base" }],
        metrics: [
          {
            name: "echo",
            successCondition: "len(result.auth) == 19",
            provider: { web: { url: "{{args.base}}/echo?x=1", method: "PUT", body: "x", headers: [{ key: "Authorization", value: "Bearer {{ args.token }}" }] } },
          },
        ],
      },
    });
    const template = reading.template;
    if (!template) throw new Error(reading.problems.map((p) => p.message).join("; "));
    const run = createAnalysisRun({ templates: [template], args: [{ name: "base", value: base }], now: systemClock.now() });
    // The operator's token is bound to /echo, so the template's own header is replaced; use a context without it.
    const measure = createMeasureMetric({ ...context, settings: {} });
    const done = await runAnalysisToCompletion(run, { clock: systemClock, measure, secrets: { metrics: { token: "s3cr3t-value" } } });
    expect(done.phase).toBe("Successful");
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer s3cr3t-value");
    const record = serializeAnalysisRun(done);
    expect(record).not.toContain("s3cr3t-value");
    expect(done.metricResults[0]?.measurements[0]?.value).toBe('{"auth":"Bearer ***","body":"x"}');
  });

  it("errors, naming the fix, when the secret is not among the operator's", async () => {
    const run = createAnalysisRun({
      templates: [
        {
          kind: "AnalysisTemplate",
          name: "t",
          args: [{ name: "token", valueFrom: { secretKeyRef: { name: "absent", key: "token" } } }],
          metrics: [{ name: "m", consecutiveErrorLimit: 0, provider: { web: { url: `${base}/measure` } } }],
          dryRun: [],
          measurementRetention: [],
        },
      ],
      now: systemClock.now(),
    });
    const done = await runAnalysisToCompletion(run, { clock: systemClock, measure: createMeasureMetric(context) });
    expect(done.phase).toBe("Error");
    expect(done.metricResults[0]?.measurements[0]?.message).toContain('no secret "absent" among the operator\'s secrets');
  });
});
