import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageSubscriptionSchema } from "../../../src/config/model/warehouse.js";
import { computeFreightId } from "../../../src/freight/compute-freight-id.js";
import { createRegistryClient, discoverImages, registryScheme } from "../../../src/warehouse/oci/index.js";
import { DiscoveryError } from "../../../src/warehouse/types.js";
import { startRegistry, type TestRegistry } from "../../support/distribution-registry.js";

const loopback = { allowPrivateNetworks: true };
const subscription = (fields: Record<string, unknown>) => ImageSubscriptionSchema.parse(fields);
const noSleep = async () => {};

describe("OCI registry client against a real CNCF Distribution registry (anonymous)", () => {
  let registry: TestRegistry;
  const digests: Record<string, string> = {};
  beforeAll(async () => {
    registry = await startRegistry();
    for (const tag of ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "latest", "nightly-20261101", "nightly-20261120"]) {
      digests[tag] = await registry.pushImage("team/app", tag, { salt: tag, created: tag === "1.0.0" ? "2026-11-20T00:00:00Z" : "2026-01-01T00:00:00Z" });
    }
    digests.multi = await registry.pushImage("team/multi", "3.0.0", { platforms: ["linux/amd64", "linux/arm64"], created: "2026-05-05T05:05:05Z" });
  });
  afterAll(() => registry.close());

  it("picks SemVer tags newest first with the digests the registry computed", async () => {
    const client = createRegistryClient({ network: loopback });
    const images = await discoverImages(subscription({ repoURL: `${registry.host}/team/app`, discoveryLimit: 3 }), client);
    expect(images).toEqual([
      { repoURL: `${registry.host}/team/app`, tag: "2.0.0-rc.1", digest: digests["2.0.0-rc.1"] },
      { repoURL: `${registry.host}/team/app`, tag: "1.10.0", digest: digests["1.10.0"] },
      { repoURL: `${registry.host}/team/app`, tag: "1.2.0", digest: digests["1.2.0"] },
    ]);
    const constrained = await discoverImages(subscription({ repoURL: `${registry.host}/team/app`, constraint: "<1.5" }), client);
    expect(constrained.map((i) => i.tag)).toEqual(["1.2.0", "1.0.0"]);
    await client.close();
  });

  it("orders Lexical tags and NewestBuild by the config blob's creation time", async () => {
    const client = createRegistryClient({ network: loopback });
    const lexical = await discoverImages(subscription({ repoURL: `${registry.host}/team/app`, imageSelectionStrategy: "Lexical", allowTagsRegexes: ["^nightly-"] }), client);
    expect(lexical.map((i) => i.tag)).toEqual(["nightly-20261120", "nightly-20261101"]);
    const newest = await discoverImages(subscription({ repoURL: `${registry.host}/team/app`, imageSelectionStrategy: "NewestBuild", discoveryLimit: 1 }), client);
    expect(newest).toEqual([{ repoURL: `${registry.host}/team/app`, tag: "1.0.0", digest: digests["1.0.0"], createdAt: "2026-11-20T00:00:00.000Z" }]);
    await client.close();
  });

  it("follows a mutable tag with the Digest strategy: a re-push is new freight", async () => {
    const client = createRegistryClient({ network: loopback });
    const watch = subscription({ repoURL: `${registry.host}/team/app`, imageSelectionStrategy: "Digest", constraint: "latest" });
    const [before] = await discoverImages(watch, client);
    expect(before?.digest).toBe(digests.latest);
    await registry.pushImage("team/app", "latest", { salt: "rebuilt" });
    const [after] = await discoverImages(watch, client);
    expect(after?.digest).not.toBe(before?.digest);
    const origin = { kind: "Warehouse", name: "app" };
    expect(computeFreightId(origin, { images: [after!] })).not.toBe(computeFreightId(origin, { images: [before!] }));
    await expect(discoverImages(subscription({ repoURL: `${registry.host}/team/app`, imageSelectionStrategy: "Digest", constraint: "gone" }), client)).rejects.toThrow(
      'the tag "gone" does not exist',
    );
    await client.close();
  });

  it("selects the platform inside an image index and records the index digest", async () => {
    const client = createRegistryClient({ network: loopback });
    const arm = await discoverImages(subscription({ repoURL: `${registry.host}/team/multi`, platform: "linux/arm64" }), client);
    expect(arm).toEqual([{ repoURL: `${registry.host}/team/multi`, tag: "3.0.0", digest: digests.multi }]);
    expect(await discoverImages(subscription({ repoURL: `${registry.host}/team/multi`, platform: "linux/s390x" }), client)).toEqual([]);
    const dated = await discoverImages(subscription({ repoURL: `${registry.host}/team/multi`, imageSelectionStrategy: "NewestBuild" }), client);
    expect(dated[0]?.createdAt).toBe("2026-05-05T05:05:05.000Z");
    // A single-platform image is checked against its config's os/architecture.
    expect(await discoverImages(subscription({ repoURL: `${registry.host}/team/app`, platform: "linux/arm64" }), client)).toEqual([]);
    await client.close();
  });

  it("answers a missing repository with 404 and what to check", async () => {
    const client = createRegistryClient({ network: loopback });
    const error = await discoverImages(subscription({ repoURL: `${registry.host}/team/nope` }), client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).message).toBe(`image ${registry.host}/team/nope: ${registry.host} answered 404: the repository does not exist (check repoURL for a typo) or is private and needs credentials`);
    expect((error as DiscoveryError).retryable).toBe(false);
    await client.close();
  });

  it("refuses a loopback registry unless the app's configuration allows private networks", async () => {
    const client = createRegistryClient();
    await expect(discoverImages(subscription({ repoURL: `${registry.host}/team/app` }), client)).rejects.toThrow(/non-public address.*STAGECOACH_ALLOW_PRIVATE_REGISTRIES/);
    const allowedByHost = createRegistryClient({ network: { allowedPrivateHosts: [registry.host] } });
    expect((await discoverImages(subscription({ repoURL: `${registry.host}/team/app` }), allowedByHost)).length).toBeGreaterThan(0);
    await Promise.all([client.close(), allowedByHost.close()]);
  });
});

describe("OCI registry client: basic auth (htpasswd)", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: { username: "puller", password: "correct horse" } });
    await registry.pushImage("private/app", "1.0.0");
  });
  afterAll(() => registry.close());

  it("uses the configured credentials, and says what to do without them or with wrong ones", async () => {
    const repoURL = `${registry.host}/private/app`;
    const good = createRegistryClient({ network: loopback, credentials: () => ({ username: "puller", password: "correct horse" }) });
    expect((await discoverImages(subscription({ repoURL }), good)).map((i) => i.tag)).toEqual(["1.0.0"]);

    const none = createRegistryClient({ network: loopback });
    await expect(discoverImages(subscription({ repoURL }), none)).rejects.toThrow(`add credentials for ${registry.host} to the app's STAGECOACH_CREDENTIALS or STAGECOACH_CREDENTIALS_FILE`);

    const wrong = createRegistryClient({ network: loopback, credentials: () => ({ username: "puller", password: "hunter2-wrong" }) });
    const error = (await discoverImages(subscription({ repoURL }), wrong).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/refused the username and password/);
    expect(error.message).not.toContain("hunter2-wrong");
    await Promise.all([good.close(), none.close(), wrong.close()]);
  });
});

describe("OCI registry client: Bearer tokens through the WWW-Authenticate challenge", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ tokenAuth: { username: "robot", password: "t0ken-pass" } });
    await registry.pushImage("private/app", "1.0.0");
    await registry.pushImage("private/app", "1.1.0", { salt: "b" });
  });
  afterAll(() => registry.close());

  it("fetches a token with the credentials, reuses it, and explains a refusal", async () => {
    const repoURL = `${registry.host}/private/app`;
    const client = createRegistryClient({ network: loopback, credentials: () => ({ username: "robot", password: "t0ken-pass" }) });
    const before = registry.tokenRequests();
    expect((await discoverImages(subscription({ repoURL }), client)).map((i) => i.tag)).toEqual(["1.1.0", "1.0.0"]);
    expect(registry.tokenRequests() - before).toBe(1);

    const anonymous = createRegistryClient({ network: loopback });
    await expect(discoverImages(subscription({ repoURL }), anonymous)).rejects.toThrow(/answered 401 Unauthorized .*add credentials for/);
    const wrong = createRegistryClient({ network: loopback, credentials: () => ({ username: "robot", password: "nope" }) });
    await expect(discoverImages(subscription({ repoURL }), wrong)).rejects.toThrow(/its token service answered 401.*check the credentials configured/);
    await Promise.all([client.close(), anonymous.close(), wrong.close()]);
  });
});

describe("OCI registry client: hostile or failing registries", () => {
  let server: Server;
  let host = "";
  let script: (path: string, attempt: number) => { status: number; headers?: Record<string, string>; body?: string };
  let attempts = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = script(request.url ?? "", attempts++);
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body ?? "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const repoURL = () => `${host}/team/app`;
  const discover = (client = createRegistryClient({ network: loopback, sleep: noSleep })) => discoverImages(subscription({ repoURL: repoURL() }), client);

  it("honours 429 Retry-After, then succeeds", async () => {
    attempts = 0;
    const waits: number[] = [];
    script = (path, attempt) => (attempt === 0 ? { status: 429, headers: { "retry-after": "2" } } : path.includes("/tags/list") ? { status: 200, body: JSON.stringify({ name: "team/app", tags: [] }) } : { status: 404 });
    const client = createRegistryClient({ network: loopback, sleep: async (ms) => void waits.push(ms) });
    expect(await discover(client)).toEqual([]);
    expect(waits).toEqual([2000]);
  });

  it("gives up on endless 429s and 5xx with a retryable error", async () => {
    script = () => ({ status: 429 });
    await expect(discover()).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("keeps answering 429 Too Many Requests after 5 attempts") });
    script = () => ({ status: 503 });
    await expect(discover()).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("answered 503 after 5 attempts") });
    script = () => ({ status: 429, headers: { "retry-after": "3600" } });
    await expect(discover()).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("asks to wait 3600 s") });
  });

  it("refuses malformed tag lists and wrong digests instead of trusting them", async () => {
    script = () => ({ status: 200, body: "<html>login page</html>" });
    await expect(discover()).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("the tag list is not JSON") });
    script = () => ({ status: 200, body: JSON.stringify({ tags: [1, 2, { $ne: null }] }) });
    await expect(discover()).rejects.toThrow('"tags" is not a list of strings');
    script = (path) =>
      path.includes("/tags/list")
        ? { status: 200, body: JSON.stringify({ tags: ["1.0.0"] }) }
        : { status: 200, headers: { "docker-content-digest": `sha256:${"0".repeat(64)}` }, body: JSON.stringify({ schemaVersion: 2, config: { digest: "sha256:x" } }) };
    await expect(discover()).rejects.toThrow("do not match the Docker-Content-Digest");
    script = () => ({ status: 403 });
    await expect(discover()).rejects.toThrow("403 Forbidden: the credentials in use may not pull the repository");
  });

  it("pages through a tag list with the Link header (Distribution 2.8 sends one page, newer registries many)", async () => {
    attempts = 0;
    const pages = [Array.from({ length: 1000 }, (_, i) => `0.0.${i}`), Array.from({ length: 1000 }, (_, i) => `0.1.${i}`), ["1.0.0", "latest"]];
    script = (path) => {
      const last = new URL(path, "http://x").searchParams.get("last");
      const index = last === null ? 0 : last === "0.0.999" ? 1 : 2;
      const next = index < 2 ? { link: `</v2/team/app/tags/list?n=1000&last=${pages[index]!.at(-1)}>; rel="next"` } : undefined;
      return { status: 200, headers: next, body: JSON.stringify({ name: "team/app", tags: pages[index] }) };
    };
    const client = createRegistryClient({ network: loopback, sleep: noSleep });
    const tags = await client.listTags({ registry: host, path: "team/app" });
    expect(tags).toHaveLength(2002);
    expect(tags.at(-1)).toBe("latest");
    expect(client.requestCount(host)).toBe(3);
  });

  it("does not follow pagination to another host", async () => {
    script = () => ({ status: 200, headers: { link: '<http://169.254.169.254/latest/meta-data>; rel="next"' }, body: JSON.stringify({ tags: ["1.0.0"] }) });
    await expect(discover()).rejects.toThrow("the tag list's next page points at another host (169.254.169.254)");
  });

  it("reports an unreachable registry as retryable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await discoverImages(subscription({ repoURL: `127.0.0.1:${port}/team/app` }), createRegistryClient({ network: loopback, sleep: noSleep })).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("could not be reached (ECONNREFUSED)") });
  });
});

describe("OCI registry client over HTTPS with an untrusted certificate", () => {
  it("refuses the certificate, naming insecureSkipTLSVerify, and accepts it when the subscription says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.2", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (request, response) => {
      response.writeHead(request.url?.includes("/tags/list") ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify({ name: "team/app", tags: [] }));
    });
    // 127.0.0.2 is loopback too, but not one of the names registries are spoken to in plain HTTP.
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", () => resolve()));
    const repoURL = `127.0.0.2:${(server.address() as { port: number }).port}/team/app`;
    try {
      const client = createRegistryClient({ network: loopback, sleep: noSleep });
      await expect(discoverImages(subscription({ repoURL }), client)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); fix the certificate or set insecureSkipTLSVerify: true") });
      expect(await discoverImages(subscription({ repoURL, insecureSkipTLSVerify: true }), client)).toEqual([]);
      await client.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("registryScheme", () => {
  it("speaks plain HTTP only to loopback registries, as docker does", () => {
    expect(registryScheme("localhost:5000")).toBe("http");
    expect(registryScheme("127.0.0.1:5000")).toBe("http");
    expect(registryScheme("[::1]:5000")).toBe("http");
    expect(registryScheme("ghcr.io")).toBe("https");
    expect(registryScheme("10.0.0.5:5000")).toBe("https");
    expect(registryScheme("registry-1.docker.io")).toBe("https");
  });
});
