import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { probeHttp, type HttpProbe } from "../../src/verification/probe-http.js";

let server: Server;
let base: string;
const allowLoopback = { allowedPrivateHosts: ["127.0.0.1"] };
const probe = (path: string, extra: Partial<HttpProbe> = {}): HttpProbe => ({ url: `${base}${path}`, method: "GET", expectStatus: [], timeoutMs: 2_000, ...extra });

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/healthz") return response.end("status: ok, version 1.1.0\n");
    if (request.url === "/down") return void response.writeHead(503).end("starting");
    if (request.url === "/login") return void response.writeHead(302, { location: "/sso" }).end();
    if (request.url === "/slow") return void setTimeout(() => response.end("late"), 1_500);
    if (request.url === "/big") return response.end(`${"x".repeat(2 * 1024 * 1024)}needle`);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("probeHttp", () => {
  it("passes on a 2xx, and on the text it must contain", async () => {
    expect(await probeHttp(probe("/healthz"), allowLoopback)).toEqual({ url: `${base}/healthz`, passed: true, detail: "answered 200" });
    expect(await probeHttp(probe("/healthz", { bodyContains: "1.1.0" }), allowLoopback)).toMatchObject({ passed: true, detail: 'answered 200 with "1.1.0"' });
    expect(await probeHttp(probe("/healthz", { bodyContains: "1.2.0" }), allowLoopback)).toMatchObject({ passed: false, detail: 'answered 200 without "1.2.0" in its first 1024 KiB' });
  });

  it("says what it got when the status is not the one expected, and never follows a redirect", async () => {
    expect(await probeHttp(probe("/down"), allowLoopback)).toMatchObject({ passed: false, detail: "answered 503, expected 2xx" });
    expect(await probeHttp(probe("/down", { expectStatus: [503] }), allowLoopback)).toMatchObject({ passed: true });
    expect(await probeHttp(probe("/login"), allowLoopback)).toMatchObject({ passed: false, detail: "answered 302, expected 2xx" });
  });

  it("gives up on a slow answer at its timeout and reads no more than a megabyte", async () => {
    expect(await probeHttp(probe("/slow", { timeoutMs: 200 }), allowLoopback)).toMatchObject({ passed: false, detail: "no answer within 0.2 s" });
    expect(await probeHttp(probe("/big", { bodyContains: "needle" }), allowLoopback)).toMatchObject({ passed: false });
  });

  it("refuses loopback and private addresses unless the App's settings allow them, by literal and by name", async () => {
    expect((await probeHttp(probe("/healthz"), {})).detail).toMatch(/^127\.0\.0\.1 is or resolves to a non-public address \(127\.0\.0\.1: loopback\).*set STAGECOACH_ALLOW_PRIVATE_HOSTS=127\.0\.0\.1:\d+ to allow this host$/);
    expect((await probeHttp({ ...probe("/healthz"), url: base.replace("127.0.0.1", "localhost") + "/healthz" }, {})).detail).toContain("non-public address");
    expect(await probeHttp({ ...probe("/"), url: "http://169.254.169.254/latest/meta-data" }, {})).toMatchObject({ passed: false });
    expect((await probeHttp({ ...probe("/"), url: "http://169.254.169.254/latest/meta-data" }, {})).detail).toContain("169.254.169.254");
  });

  it("answers a refused connection and a broken URL plainly", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probeHttp({ ...probe("/"), url: `http://127.0.0.1:${port}/` }, allowLoopback)).toMatchObject({ passed: false, detail: "connection refused" });
    expect(await probeHttp({ ...probe("/"), url: "file:///etc/passwd" }, allowLoopback)).toMatchObject({ passed: false, detail: "only http and https are probed, not file:" });
    expect(await probeHttp({ ...probe("/"), url: "not a url" }, allowLoopback)).toMatchObject({ passed: false, detail: "not a URL" });
  });
});
