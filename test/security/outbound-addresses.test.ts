import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChartSubscriptionSchema, GitSubscriptionSchema, ImageSubscriptionSchema } from "../../src/config/model/warehouse.js";
import { classifyAddress } from "../../src/network/check-public-address.js";
import { StepFailure } from "../../src/promotion/step-failure.js";
import { findTool } from "../../src/promotion/tools/find-tool.js";
import { runTool } from "../../src/promotion/tools/run-tool.js";
import { probeHttp } from "../../src/verification/probe-http.js";
import { discoverGitCommits } from "../../src/warehouse/git/index.js";
import { discoverCharts } from "../../src/warehouse/helm/index.js";
import { createRegistryClient, discoverImages } from "../../src/warehouse/oci/index.js";
import { DiscoveryError } from "../../src/warehouse/types.js";
import { createStepHarness, type StepHarness } from "../promotion/support/step-harness.js";

/**
 * Every outbound path the App takes on a repository's behalf, aimed at a server on loopback that
 * stands for the App's own network (cloud metadata, an admin port). The policy allows one host by
 * name (`localhost`, where the helper servers a hostile repository or registry controls answer);
 * the target is reached through other spellings of 127.0.0.1, which the guard must refuse. The
 * target counts what reaches it: every case ends with zero.
 */
const CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched-from-the-app-network\n";

let target: Server;
let targetPort = 0;
const reached: string[] = [];

let helper: Server;
let helperPort = 0;
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
let answer: (url: string) => Answer = () => ({ status: 404 });

beforeAll(async () => {
  target = createServer((request, response) => {
    reached.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "application/json" }).end(request.url?.endsWith(".yaml") ? CONFIGMAP : '{"token":"t","tags":["1.0.0"]}');
  });
  helper = createServer((request, response) => {
    const { status, headers, body } = answer(request.url ?? "/");
    response.writeHead(status, headers).end(body ?? "");
  });
  await Promise.all([target, helper].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
  targetPort = (target.address() as AddressInfo).port;
  helperPort = (helper.address() as AddressInfo).port;
});
afterAll(async () => {
  await Promise.all([target, helper].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});
beforeEach(() => {
  reached.length = 0;
  answer = () => ({ status: 404 });
});

/** 127.0.0.1 as a hostile config might write it in a URL; the URL standard turns each into a form the guard must catch. */
const LOOPBACK_SPELLINGS = ["2130706433", "0x7f.1", "0x7f000001", "0177.0.0.01", "127.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]"];
/** IPv6 that carries 127.0.0.1 another way: nothing here routes them to loopback, so only the guard's message shows they were caught. */
const EMBEDDED_LOOPBACK = ["[64:ff9b::7f00:1]", "[::7f00:1]", "[2002:7f00:1::]", "[2001:0:4136:e378:8000:63bf:80ff:fffe]"];
const targetAt = (host: string, pathname = "/") => `http://${host}:${targetPort}${pathname}`;
const refusal = /is or resolves to a non-public address .*set STAGECOACH_ALLOW_PRIVATE_(HOSTS|REGISTRIES)=\S+ to allow this host/;

describe("the classifier decodes IPv4 embedded in IPv6, in every spelling, and knows every non-public range", () => {
  it.each([
    ["::ffff:7f00:1", "IPv4-mapped 127.0.0.1 (loopback)"],
    ["::ffff:127.0.0.1", "IPv4-mapped 127.0.0.1 (loopback)"],
    ["::FFFF:7F00:1", "IPv4-mapped 127.0.0.1 (loopback)"],
    ["0:0:0:0:0:ffff:7f00:1", "IPv4-mapped 127.0.0.1 (loopback)"],
    ["0000:0000:0000:0000:0000:ffff:169.254.169.254", "IPv4-mapped 169.254.169.254 (link-local, where cloud metadata lives)"],
    ["::ffff:0:a00:1", "IPv4-translated 10.0.0.1 (private)"],
    ["::7f00:1", "IPv4-compatible 127.0.0.1 (loopback)"],
    ["::127.0.0.1", "IPv4-compatible 127.0.0.1 (loopback)"],
    ["::a9fe:a9fe", "IPv4-compatible 169.254.169.254 (link-local, where cloud metadata lives)"],
    ["64:ff9b::7f00:1", "NAT64 127.0.0.1 (loopback)"],
    ["64:ff9b::169.254.169.254", "NAT64 169.254.169.254 (link-local, where cloud metadata lives)"],
    ["64:ff9b::c0a8:101", "NAT64 192.168.1.1 (private)"],
    ["64:ff9b:1::808:808", "local-use NAT64"],
    ["2002:7f00:1::", "6to4 127.0.0.1 (loopback)"],
    ["2002:a9fe:a9fe::1", "6to4 169.254.169.254 (link-local, where cloud metadata lives)"],
    ["2001:0:a00:1::1", "Teredo server 10.0.0.1 (private)"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo client 127.0.0.1 (loopback)"],
    ["100::1", "discard"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001:2::1", "benchmarking"],
    ["fec0::1", "site-local"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["192.0.0.8", "IETF protocol assignments"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["192.88.99.1", "6to4 relay anycast"],
    ["255.255.255.255", "reserved or broadcast"],
  ])("%s: %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe("the http step and verification probes", () => {
  let h: StepHarness;
  beforeEach(async () => (h = await createStepHarness()));
  afterEach(() => h.dispose());

  it.each(LOOPBACK_SPELLINGS)("refuse %s, seen in its normalized form", async (host) => {
    const url = targetAt(host);
    const normalized = new URL(url).hostname.replace(/^\[|\]$/g, "");
    const error = await h.run("http", { url, timeout: "2s" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as Error).message).toMatch(refusal);
    expect((error as Error).message).toContain(`config.url: ${normalized} is or resolves`);
    const probe = await probeHttp({ url, method: "GET", expectStatus: [], timeoutMs: 2_000 }, {});
    expect(probe).toMatchObject({ passed: false, detail: expect.stringMatching(refusal) as unknown });
    expect(reached).toEqual([]);
  });

  it.each(EMBEDDED_LOOPBACK)("refuse %s as non-public, not as unreachable", async (host) => {
    const error = await h.run("http", { url: targetAt(host), timeout: "2s" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/127\.0\.0\.1 \(loopback\)/);
    expect((error as Error).message).toMatch(refusal);
    expect(reached).toEqual([]);
  });

  it("never follow a redirect, so an allowed host cannot send them elsewhere", async () => {
    answer = () => ({ status: 302, headers: { location: targetAt("127.0.0.1") } });
    const allowed = { services: { allowedPrivateHosts: ["localhost"] } };
    await expect(h.run("http", { url: `http://localhost:${helperPort}/go` }, allowed)).rejects.toThrow(/answered 302, which counts as failure/);
    expect(await probeHttp({ url: `http://localhost:${helperPort}/go`, method: "GET", expectStatus: [], timeoutMs: 2_000 }, { allowedPrivateHosts: ["localhost"] })).toMatchObject({
      passed: false,
      detail: "answered 302, expected 2xx",
    });
    expect(reached).toEqual([]);
  });
});

describe("the OCI registry client", () => {
  const allowHelper = { allowedPrivateHosts: ["localhost"] };
  const discover = (repoURL: string) => discoverImages(ImageSubscriptionSchema.parse({ repoURL }), createRegistryClient({ network: allowHelper, maxRetries: 0 }));

  it.each([...LOOPBACK_SPELLINGS, ...EMBEDDED_LOOPBACK])("refuses a token realm at %s that an allowed registry names", async (host) => {
    answer = () => ({ status: 401, headers: { "www-authenticate": `Bearer realm="${targetAt(host, "/token")}",service="registry"` } });
    const error = (await discover(`localhost:${helperPort}/team/app`).catch((e: unknown) => e)) as DiscoveryError;
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/the token service http:\/\/\S+ that localhost:\d+ named: .*is or resolves to a non-public address/);
    expect(error.message).toContain("STAGECOACH_ALLOW_PRIVATE_REGISTRIES");
    expect(reached).toEqual([]);
  });

  it("refuses where a token realm redirects", async () => {
    answer = (url): Answer =>
      url.startsWith("/token")
        ? { status: 307, headers: { location: targetAt("127.0.0.1", "/token") } }
        : { status: 401, headers: { "www-authenticate": `Bearer realm="http://localhost:${helperPort}/token",service="registry"` } };
    await expect(discover(`localhost:${helperPort}/team/app`)).rejects.toThrow(/STAGECOACH_ALLOW_PRIVATE_REGISTRIES=127\.0\.0\.1:\d+ to allow this host/);
    expect(reached).toEqual([]);
  });

  it.each(["127.0.0.1", "[::ffff:7f00:1]", "0x7f.1"])("refuses where a registry redirects its API or blobs (to %s)", async (host) => {
    answer = (url) => ({ status: 307, headers: { location: targetAt(host, url) } });
    await expect(discover(`localhost:${helperPort}/team/app`)).rejects.toThrow(refusal);
    const client = createRegistryClient({ network: allowHelper, maxRetries: 0 });
    await expect(client.getJsonBlob({ registry: `localhost:${helperPort}`, path: "team/app" }, `sha256:${"0".repeat(64)}`)).rejects.toThrow(refusal);
    await client.close();
    expect(reached).toEqual([]);
  });

  it.each(LOOPBACK_SPELLINGS.filter((h) => !h.startsWith("[")))("refuses a registry written as %s", async (host) => {
    await expect(discover(`${host}:${targetPort}/team/app`)).rejects.toThrow(refusal);
    expect(reached).toEqual([]);
  });
});

describe("Helm chart indexes and git remotes", () => {
  const chart = (repoURL: string) => ChartSubscriptionSchema.parse({ repoURL, name: "app" });

  it.each(["127.0.0.1", "[::ffff:7f00:1]", "2130706433", "[64:ff9b::7f00:1]"])("refuse where an allowed chart repository redirects (to %s)", async (host) => {
    answer = () => ({ status: 302, headers: { location: targetAt(host, "/index.yaml") } });
    const error = (await discoverCharts(chart(`http://localhost:${helperPort}/charts`), { network: { allowedPrivateHosts: ["localhost"] } }).catch((e: unknown) => e)) as DiscoveryError;
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error.message).toMatch(refusal);
    expect(reached).toEqual([]);
  });

  it.each(LOOPBACK_SPELLINGS)("refuse a chart repository or a git remote written as %s", async (host) => {
    await expect(discoverCharts(chart(targetAt(host, "/charts")))).rejects.toThrow(refusal);
    await expect(discoverGitCommits(GitSubscriptionSchema.parse({ repoURL: targetAt(host, "/team/app.git") }))).rejects.toThrow(refusal);
    expect(reached).toEqual([]);
  });
});

describe("kustomize-build renders only what the repository holds (real kubectl kustomize)", () => {
  let h: StepHarness;
  beforeEach(async () => {
    h = await createStepHarness();
    await h.write({ "app/base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n", "app/base/kustomization.yaml": "resources:\n  - cm.yaml\n" });
  });
  afterEach(() => h.dispose());

  it.each([
    ["resources", () => `resources:\n  - ../base\n  - ${targetAt("127.0.0.1", "/cm.yaml")}\n`, "resources[1]"],
    ["resources (metadata address)", () => "resources:\n  - http://169.254.169.254/latest/user-data\n", "resources[0]"],
    ["components", () => `resources:\n  - ../base\ncomponents:\n  - ${targetAt("localhost", "/component")}\n`, "components[0]"],
    ["a go-getter path", () => "resources:\n  - github.com/acme/infra//base?ref=v1.0.0\n", "resources[0]"],
    ["an scp-like git remote", () => "resources:\n  - git@github.com:acme/infra.git//base\n", "resources[0]"],
    ["an ssh remote", () => `resources:\n  - ssh://git@127.0.0.1:${targetPort}/acme/infra.git\n`, "resources[0]"],
    ["a forced git getter", () => `resources:\n  - git::${targetAt("127.0.0.1", "/acme/infra.git")}\n`, "resources[0]"],
    ["a patch path", () => `resources:\n  - ../base\npatches:\n  - path: ${targetAt("127.0.0.1", "/patch.yaml")}\n`, "patches[0].path"],
    ["a generator file", () => `configMapGenerator:\n  - name: c\n    files:\n      - key=${targetAt("127.0.0.1", "/key")}\n`, "configMapGenerator[0].files[0]"],
    ["openapi.path", () => `resources:\n  - ../base\nopenapi:\n  path: ${targetAt("127.0.0.1", "/schema.json")}\n`, "openapi.path"],
    ["a Helm chart repository", () => `helmCharts:\n  - name: app\n    repo: ${targetAt("127.0.0.1", "/charts")}\n`, "helmCharts[0].repo"],
  ])("refuses %s before kustomize runs, naming the file, the entry and the fix", async (_label, kustomization, field) => {
    await h.write({ "app/prod/kustomization.yaml": kustomization() });
    const error = await h.run("kustomize-build", { path: "app/prod", outPath: "out/prod.yaml" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as Error).message).toMatch(new RegExp(`^app/prod/kustomization\\.yaml: ${field.replace(/[[\].]/g, "\\$&")} ".+" is a remote resource; .*Vendor it into the repository`));
    expect(await h.workspace.exists("out/prod.yaml")).toBe(false);
    expect(reached).toEqual([]);
  });

  it("refuses a remote resource in a base the overlay reaches, naming the base's file", async () => {
    await h.write({ "app/base/kustomization.yaml": `resources:\n  - cm.yaml\n  - ${targetAt("127.0.0.1", "/cm.yaml")}\n`, "app/prod/kustomization.yaml": "resources:\n  - ../base\n" });
    await expect(h.run("kustomize-build", { path: "app/prod", outPath: "out/prod.yaml" })).rejects.toThrow(/^app\/base\/kustomization\.yaml: resources\[1\] "http:\/\/127\.0\.0\.1:\d+\/cm\.yaml" is a remote resource/);
    expect(reached).toEqual([]);
  });

  it("still renders a kustomization that only names files in the repository", async () => {
    await h.write({ "app/prod/kustomization.yaml": "resources:\n  - ../base\nnamePrefix: prod-\n" });
    await h.run("kustomize-build", { path: "app/prod", outPath: "out/prod.yaml" });
    expect(await h.read("out/prod.yaml")).toContain("name: prod-local");
  });
});

describe("kustomize runs offline, the second wall behind the refusal (real kubectl kustomize)", () => {
  // Go never proxies a loopback address, but 0.0.0.0 is not one: connecting to it reaches this host's
  // listeners (the target on 127.0.0.1), so it shows what the offline environment stops.
  const build = async (kustomization: string, offline: boolean) => {
    const dir = mkdtempSync(path.join(tmpdir(), "offline-kustomize-"));
    mkdirSync(path.join(dir, "app"));
    writeFileSync(path.join(dir, "app", "kustomization.yaml"), kustomization);
    const kubectl = await findTool("kubectl");
    if (!kubectl) throw new Error("these tests need kubectl on PATH (kubectl kustomize)");
    return runTool(kubectl, ["kustomize", path.join(dir, "app")], { cwd: dir, offline, timeoutMs: 60_000 });
  };

  it("a remote resource kustomize would fetch over HTTP is not fetched", async () => {
    const kustomization = `resources:\n  - http://0.0.0.0:${targetPort}/cm.yaml\n`;
    await expect(build(kustomization, true)).rejects.toThrow(/proxyconnect|connection refused/);
    expect(reached).toEqual([]);
    // The same build with the App's own environment does reach the target: the wall is what stopped it.
    expect(await build(kustomization, false)).toContain("fetched-from-the-app-network");
    expect(reached).toEqual(["GET /cm.yaml"]);
  });

  it("a remote base kustomize would clone with git is not cloned", async () => {
    const kustomization = `resources:\n  - http://0.0.0.0:${targetPort}/acme/infra.git//base?ref=main\n`;
    await expect(build(kustomization, true)).rejects.toThrow(/transport 'http' not allowed|not allowed/);
    expect(reached).toEqual([]);
    await expect(build(kustomization, false)).rejects.toThrow();
    expect(reached.some((request) => request.startsWith("GET /acme/infra.git/info/refs"))).toBe(true);
  });
});

describe("helm-template", () => {
  let h: StepHarness;
  beforeEach(async () => (h = await createStepHarness()));
  afterEach(() => h.dispose());

  it("refuses a chart whose dependencies would be fetched, before helm runs", async () => {
    await h.write({ "chart/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: ${targetAt("127.0.0.1", "/charts")}\n` });
    await expect(h.run("helm-template", { path: "chart", outPath: "out.yaml" })).rejects.toThrow(/^chart\/Chart\.yaml lists redis 1\.0\.0 from http:\/\/127\.0\.0\.1:\d+\/charts, not vendored in chart\/charts\//);
    expect(reached).toEqual([]);
  });
});
