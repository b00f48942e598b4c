import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { ChartSubscriptionSchema, type ChartSubscription } from "../../../src/config/model/warehouse.js";
import { discoverCharts, discoverOciCharts, type DiscoverChartsOptions } from "../../../src/warehouse/helm/index.js";
import { DiscoveryError } from "../../../src/warehouse/types.js";

const GOOD_INDEX = `apiVersion: v1
entries:
  app:
    - name: app
      version: 1.0.0
      urls: [https://charts.example.com/app-1.0.0.tgz]
    - name: app
      version: 1.10
    - name: app
      version: "1.2.0"
    - name: app
      version: 2.0.0-rc.1
    - name: app
      version: 0.9.0
    - name: app
      version: not-a-version
    - name: app
  other:
    - version: 3.0.0
generated: "2026-01-01T00:00:00Z"
`;

// Nine levels of nine aliases each: a billion strings if expanded.
const ALIAS_BOMB = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefghi".split("").map((c, i) => `${c}: &${c} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`), "entries: {app: [{version: 1.0.0}]}", "boom: *i"].join("\n");

interface Seen {
  path: string;
  authorization?: string;
}

describe("chart discovery from a classic repository (index.yaml over HTTP)", () => {
  let server: Server;
  let base: string;
  let port: number;
  let seen: Seen[];
  const allow = { network: { allowedPrivateHosts: ["127.0.0.1", "localhost"] } };

  const subscription = (fields: Partial<ChartSubscription> & { repoURL: string }) => ChartSubscriptionSchema.parse({ name: "app", ...fields });
  const discover = (path: string, fields: Partial<ChartSubscription> = {}, options: DiscoverChartsOptions = allow) => discoverCharts(subscription({ repoURL: `${base}${path}`, ...fields }), options);

  beforeAll(async () => {
    const thousands = `entries:\n  app:\n${Array.from({ length: 10_000 }, (_, i) => `    - version: ${Math.floor(i / 100)}.${i % 100}.0\n`).join("")}`;
    server = createServer((request: IncomingMessage, response) => {
      const path = request.url ?? "/";
      seen.push({ path, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
      const yaml = (text: string | Buffer, headers: Record<string, string> = {}) => response.writeHead(200, { "content-type": "application/x-yaml", ...headers }).end(text);
      switch (path) {
        case "/good/index.yaml":
        case "/nested/charts/index.yaml":
          return yaml(GOOD_INDEX);
        case "/gzip/index.yaml":
          return yaml(gzipSync(GOOD_INDEX), { "content-encoding": "gzip" });
        case "/thousands/index.yaml":
          return yaml(thousands);
        case "/malformed/index.yaml":
          return yaml("entries: [unclosed\n  - : :");
        case "/not-an-index/index.yaml":
          return yaml("<html>hello</html>\n");
        case "/bomb/index.yaml":
          return yaml(ALIAS_BOMB);
        case "/basic/index.yaml":
          if (request.headers.authorization !== `Basic ${Buffer.from("reader:s3cret").toString("base64")}`) return response.writeHead(401, { "www-authenticate": 'Basic realm="charts"' }).end();
          return yaml(GOOD_INDEX);
        case "/bearer/index.yaml":
          if (request.headers.authorization !== "Bearer tok-123") return response.writeHead(401).end();
          return yaml(GOOD_INDEX);
        case "/forbidden/index.yaml":
          return response.writeHead(403).end();
        case "/flaky/index.yaml":
          return response.writeHead(503).end();
        case "/moved/index.yaml":
          return response.writeHead(302, { location: "/good/index.yaml" }).end();
        case "/moved-away/index.yaml":
          return response.writeHead(302, { location: `http://localhost:${port}/good/index.yaml` }).end();
        case "/loop/index.yaml":
          return response.writeHead(302, { location: "/loop/index.yaml" }).end();
        case "/huge-declared/index.yaml":
          response.writeHead(200, { "content-length": String(30 * 1024 * 1024) });
          return response.end();
        case "/huge/index.yaml": {
          // No length announced: the reader must stop counting at 20 MB on its own.
          response.writeHead(200, { "content-type": "application/x-yaml" });
          const line = Buffer.from(`# ${"x".repeat(1021)}\n`);
          let sent = 0;
          const pump = () => {
            while (sent < 64 * 1024) {
              sent++;
              if (!response.write(line)) return response.once("drain", pump);
            }
            response.end();
          };
          response.on("error", () => {});
          return pump();
        }
        default:
          return response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
  });

  it("lists a chart's versions newest first, leniently parsed and exactly as written", async () => {
    const charts = await discover("/good");
    expect(charts.map((c) => c.version)).toEqual(["2.0.0-rc.1", "1.10", "1.2.0", "1.0.0", "0.9.0"]);
    expect(charts[1]).toEqual({ repoURL: `${base}/good`, name: "app", version: "1.10" });
    expect(seen).toEqual([{ path: "/good/index.yaml" }]);
  });

  it("applies semverConstraint and discoveryLimit, with a trailing slash or a nested path", async () => {
    expect((await discover("/good/", { semverConstraint: "^1.0.0" })).map((c) => c.version)).toEqual(["1.10", "1.2.0", "1.0.0"]);
    expect((await discover("/nested/charts", { semverConstraint: ">=1.0.0, <1.5.0", discoveryLimit: 1 })).map((c) => c.version)).toEqual(["1.2.0"]);
    expect((await discover("/gzip", { semverConstraint: "~0.9" })).map((c) => c.version)).toEqual(["0.9.0"]);
  });

  it("picks from 10,000 versions quickly", async () => {
    const started = Date.now();
    const charts = await discover("/thousands", { semverConstraint: "<50", discoveryLimit: 3 });
    expect(charts.map((c) => c.version)).toEqual(["49.99.0", "49.98.0", "49.97.0"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("sends basic or bearer credentials from the lookup, and says which to fix on 401", async () => {
    const credentials = (credential: { username: string; password: string } | { token: string }) => ({ ...allow, credentials: (url: string) => (url.startsWith(base) ? credential : undefined) });
    await expect(discover("/basic")).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`wants credentials (401) for ${base}/basic/index.yaml; add an entry for ${base}/basic to STAGECOACH_CREDENTIALS`) });
    const wrong = await discover("/basic", {}, credentials({ username: "reader", password: "wrong-pass" })).catch((e: Error) => e);
    expect(wrong).toMatchObject({ retryable: false, message: expect.stringContaining("refused the credentials (401)") });
    expect((wrong as Error).message).not.toContain("wrong-pass");
    expect(await discover("/basic", { discoveryLimit: 1 }, credentials({ username: "reader", password: "s3cret" }))).toEqual([{ repoURL: `${base}/basic`, name: "app", version: "2.0.0-rc.1" }]);
    expect(await discover("/bearer", { discoveryLimit: 1 }, credentials({ token: "tok-123" }))).toHaveLength(1);
  });

  it("explains 403, 404 and 503", async () => {
    await expect(discover("/forbidden")).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("denied access (403)") });
    await expect(discover("/nowhere")).rejects.toMatchObject({ retryable: false, message: `chart ${base}/nowhere: there is no index.yaml at ${base}/nowhere/index.yaml (404); write the repository's root URL as the repoURL, the URL \`helm repo add\` takes` });
    await expect(discover("/flaky")).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("answered 503") });
  });

  it("rejects a malformed index, one that is not an index, and a YAML alias bomb", async () => {
    await expect(discover("/malformed")).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/^chart .+\/malformed: .+\/malformed\/index\.yaml is not a Helm repository index \(.+\); check that the repoURL is the repository's root/) });
    await expect(discover("/not-an-index")).rejects.toThrow("is not a Helm repository index (it has no entries map)");
    const started = Date.now();
    await expect(discover("/bomb")).rejects.toThrow(/is not a Helm repository index \(.*alias/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses an index over 20 MB, announced or not", async () => {
    await expect(discover("/huge-declared")).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("is larger than 20 MB") });
    await expect(discover("/huge")).rejects.toThrow("is larger than 20 MB");
  });

  it("follows redirects, dropping credentials when the host changes, and stops a loop", async () => {
    const credentials = { ...allow, credentials: () => ({ username: "reader", password: "s3cret" }) };
    expect(await discover("/moved", { discoveryLimit: 1 }, credentials)).toHaveLength(1);
    expect(seen.map((s) => [s.path, Boolean(s.authorization)])).toEqual([
      ["/moved/index.yaml", true],
      ["/good/index.yaml", true],
    ]);
    seen = [];
    expect(await discover("/moved-away", { discoveryLimit: 1 }, credentials)).toHaveLength(1);
    expect(seen.map((s) => [s.path, Boolean(s.authorization)])).toEqual([
      ["/moved-away/index.yaml", true],
      ["/good/index.yaml", false],
    ]);
    await expect(discover("/loop")).rejects.toThrow("redirects more than 5 times");
  });

  it("names a missing chart and lists the ones there are", async () => {
    await expect(discover("/good", { name: "ap" })).rejects.toMatchObject({ retryable: false, message: `chart ${base}/good.name: the repository has no chart named "ap" (it lists app, other); fix the name` });
    await expect(discoverCharts(ChartSubscriptionSchema.parse({ repoURL: `${base}/good` }), allow)).rejects.toThrow(`chart ${base}/good.name: a chart repository with an index.yaml holds many charts; name the one to follow`);
  });

  it("rejects a constraint that is not semver and bad URLs before any request", async () => {
    await expect(discover("/good", { semverConstraint: "newest!" })).rejects.toThrow(`chart ${base}/good.semverConstraint: "newest!" is not a semver constraint`);
    await expect(discoverCharts(subscription({ repoURL: "file:///etc/passwd" }), allow)).rejects.toThrow("the file scheme is not a chart repository");
    await expect(discover("/good", { semverConstraint: "x y z" }, { ...allow, field: "warehouse app, subscriptions[2].chart" })).rejects.toThrow('warehouse app, subscriptions[2].chart.semverConstraint: "x y z" is not a semver constraint');
    await expect(discoverCharts(subscription({ repoURL: `http://u:pw@127.0.0.1:${port}/good` }), allow)).rejects.toThrow("chart http://***@127.0.0.1");
    expect(seen).toEqual([]);
  });

  it("refuses loopback hosts unless the network policy allows them", async () => {
    const refused = await discover("/good", {}, {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DiscoveryError);
    expect(refused).toMatchObject({ retryable: false, message: expect.stringContaining("127.0.0.1 is or resolves to a non-public address") });
    await expect(discoverCharts(subscription({ repoURL: `http://localhost:${port}/good` }), {})).rejects.toThrow(`set STAGECOACH_ALLOW_PRIVATE_REGISTRIES=localhost:${port}`);
    // A redirect to a refused host is refused too.
    await expect(discover("/moved-away", {}, { network: { allowedPrivateHosts: ["127.0.0.1"] } })).rejects.toThrow("localhost is or resolves to a non-public address");
    expect(seen.map((s) => s.path)).toEqual(["/moved-away/index.yaml"]);
  });

  it("reports an unreachable repository as retryable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(discoverCharts(subscription({ repoURL: `http://127.0.0.1:${closedPort}/charts` }), allow)).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("cannot be reached (ECONNREFUSED)") });
  });
});

describe("chart discovery from an OCI repository", () => {
  const tags = ["1.0.0", "1.1.0_build.7", "2.0.0-rc.1", "latest", "sha256-3f1c.sig", "0.9"];

  it("reads tags back as versions (`_` was `+`) and selects by semverConstraint", async () => {
    const asked: string[] = [];
    const listTags = async (repository: string) => {
      asked.push(repository);
      return tags;
    };
    const sub = ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/charts/app", semverConstraint: "^1.0.0" });
    expect(await discoverOciCharts(sub, listTags)).toEqual([
      { repoURL: "oci://ghcr.io/acme/charts/app", version: "1.1.0+build.7" },
      { repoURL: "oci://ghcr.io/acme/charts/app", version: "1.0.0" },
    ]);
    expect(asked).toEqual(["ghcr.io/acme/charts/app"]);
    const viaDiscoverCharts = await discoverCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/charts/app", discoveryLimit: 2 }), { listOciTags: listTags });
    expect(viaDiscoverCharts.map((c) => c.version)).toEqual(["2.0.0-rc.1", "1.1.0+build.7"]);
  });

  it("rejects a name, a bad repository, a bad constraint, and a caller without the registry client", async () => {
    const never = async (): Promise<string[]> => {
      throw new Error("must not be called");
    };
    await expect(discoverOciCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/app", name: "app" }), never)).rejects.toThrow("chart oci://ghcr.io/acme/app.name: an oci:// chart repository holds one chart");
    await expect(discoverOciCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://justahost" }), never)).rejects.toThrow("is not an OCI chart repository; write it like oci://ghcr.io/acme/charts/app");
    await expect(discoverOciCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/app", semverConstraint: "1.x.y.z" }), never)).rejects.toThrow("chart oci://ghcr.io/acme/app.semverConstraint");
    await expect(discoverCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/app" }))).rejects.toThrow("oci:// charts need the OCI registry client");
  });

  it("finds nothing in a repository without version tags", async () => {
    expect(await discoverOciCharts(ChartSubscriptionSchema.parse({ repoURL: "oci://ghcr.io/acme/app" }), async () => ["latest", "main"])).toEqual([]);
  });
});
