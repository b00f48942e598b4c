import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArgoCdError } from "../../src/argocd/argocd-error.js";
import { createArgoCdClient, type ArgoCdClient } from "../../src/argocd/client.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp, multiSourceApp } from "./support/applications.js";
import { contractViolations } from "./support/argocd-contract.js";
import { selfSignedCert } from "./support/self-signed-cert.js";

let fake: FakeArgoCd;
let client: ArgoCdClient;
const guestbook = { name: "guestbook", namespace: "argocd" };

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
  fake.addApplication(gitApp("guestbook", { labels: { team: "web", tier: "front" } }));
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

async function failure(promise: Promise<unknown>): Promise<ArgoCdError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArgoCdError);
  return error as ArgoCdError;
}

describe("Argo CD client against the fake server", () => {
  it("reads an Application with the bearer token and appNamespace", async () => {
    const app = await client.getApplication(guestbook);
    expect(app.spec?.source?.path).toBe("env/guestbook");
    expect(app.status?.sync?.status).toBe("OutOfSync");
    const [request] = fake.requests();
    expect(request).toMatchObject({ method: "GET", path: "/api/v1/applications/guestbook", query: { appNamespace: ["argocd"] }, authenticated: true });
  });

  it("lists Applications by label selector", async () => {
    fake.addApplication(gitApp("api", { labels: { team: "api" } }));
    const apps = await client.listApplications({ selector: "team in (web),tier", appNamespace: "argocd" });
    expect(apps.map((a) => a.metadata?.name)).toEqual(["guestbook"]);
  });

  it("updates the spec with a PUT of the whole Application and keeps the server's status", async () => {
    const app = await client.getApplication(guestbook);
    app.spec!.source!.targetRevision = "0123456789abcdef0123456789abcdef01234567";
    const updated = await client.updateApplication(app);
    expect(updated.spec?.source?.targetRevision).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(updated.status?.sync).toMatchObject({ status: "OutOfSync", revision: "0123456789abcdef0123456789abcdef01234567" });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(app.metadata?.resourceVersion));
  });

  it("triggers a sync at a revision without pruning, and sees it finish", async () => {
    const running = await client.syncApplication(guestbook, { revision: "main", reason: "promotion of wiggly-tuatara" });
    expect(running.status?.operationState?.phase).toBe("Running");
    const request = fake.requests().at(-1)!;
    expect(request.body).toEqual({ name: "guestbook", appNamespace: "argocd", prune: false, revision: "main", infos: [{ name: "Reason", value: "promotion of wiggly-tuatara" }] });
    fake.completeSync("guestbook");
    const done = await client.getApplication(guestbook);
    expect(done.status?.operationState?.phase).toBe("Succeeded");
    expect(done.status?.health?.status).toBe("Healthy");
    expect(done.status?.sync?.status).toBe("Synced");
  });

  it("syncs a multi-source Application with revisions per 1-based source position", async () => {
    fake.addApplication(multiSourceApp("web"));
    await client.syncApplication({ name: "web", namespace: "argocd" }, { revisions: ["1.2.0"], sourcePositions: [1] });
    expect(fake.requests().at(-1)!.body).toMatchObject({ revisions: ["1.2.0"], sourcePositions: ["1"] });
    const done = fake.completeSync("web");
    expect(done.status?.operationState?.syncResult?.revisions?.[0]).toBe("1.2.0");
  });

  it("reads the resource tree and the manifests", async () => {
    const tree = await client.getResourceTree(guestbook);
    expect(tree.nodes?.map((n) => n.kind)).toEqual(["Deployment", "ReplicaSet", "Service"]);
    const manifests = await client.getManifests(guestbook, "main");
    expect(manifests.manifests?.map((m) => JSON.parse(m).kind)).toEqual(["Deployment", "Service"]);
  });

  it("asks Argo CD what applying new manifests would change", async () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "guestbook", namespace: "guestbook" } };
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "guestbook", namespace: "guestbook" }, spec: { replicas: 3 } };
    const diff = await client.serverSideDiff(guestbook, { project: "default", targetManifests: [JSON.stringify(service), JSON.stringify(deployment)] });
    expect(diff.modified).toBe(true);
    expect(diff.items?.map((item) => [item.kind, item.modified])).toEqual([
      ["Service", false],
      ["Deployment", true],
    ]);
    expect(JSON.parse(diff.items![1]!.targetState!)).toEqual(deployment);
  });

  it("says which token was rejected, without printing it", async () => {
    const wrong = createArgoCdClient({ server: fake.url, token: "stolen-token-value" });
    const error = await failure(wrong.getApplication(guestbook));
    await wrong.close();
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toContain(`ARGOCD_TOKEN rejected by ${fake.url}`);
    expect(error.message).not.toContain("stolen-token-value");
    expect(error.message).not.toContain(fake.token);
  });

  it("names the missing RBAC permission on a 403", async () => {
    fake.deny("sync", "guestbook");
    const error = await failure(client.syncApplication(guestbook, { project: "default" }));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain('"applications, sync, default/guestbook"');
    expect(error.message).toContain("p, role:stagecoach, applications, sync, default/guestbook, allow");
  });

  it("says which Application is missing from which namespace", async () => {
    const error = await failure(client.getApplication({ name: "nope", namespace: "team-a" }));
    expect(error.kind).toBe("not-found");
    expect(error.message).toContain("Application nope not found in namespace team-a");
  });

  it("reports a sync refused because another operation runs", async () => {
    await client.syncApplication(guestbook, {});
    const error = await failure(client.syncApplication(guestbook, {}));
    expect(error.kind).toBe("busy");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("argocd app terminate-op guestbook");
  });

  it.each([
    ["../applications", "not a valid Argo CD Application name"],
    ["a/b", "not a valid Argo CD Application name"],
    ["", "not a valid Argo CD Application name"],
    ["UPPER", "not a valid Argo CD Application name"],
  ])("refuses the hostile app name %j before sending anything", async (name, message) => {
    const error = await failure(client.getApplication({ name, namespace: "argocd" }));
    expect(error.message).toContain(message);
    expect(fake.requests()).toEqual([]);
  });

  it("refuses a hostile namespace before sending anything", async () => {
    const error = await failure(client.getApplication({ name: "guestbook", namespace: "argocd&selector=x" }));
    expect(error.message).toContain("apps[].namespace");
    expect(fake.requests()).toEqual([]);
  });
});

describe("Argo CD client configuration and transport errors", () => {
  it.each([
    ["not a url", "is not a URL"],
    ["ftp://argocd.example.com", "must start with https://"],
    ["https://admin:pw@argocd.example.com", "must not carry credentials"],
  ])("refuses ARGOCD_SERVER %j", (server, message) => {
    expect(() => createArgoCdClient({ server, token: "t" })).toThrow(message);
  });

  it("refuses an empty token", () => {
    expect(() => createArgoCdClient({ server: fake.url, token: "" })).toThrow("ARGOCD_TOKEN is empty");
  });

  it("names the server it cannot reach", async () => {
    const closed = await startFakeArgoCd();
    const url = closed.url;
    await closed.close();
    const offline = createArgoCdClient({ server: url, token: "t" });
    const error = await failure(offline.getApplication(guestbook));
    await offline.close();
    expect(error.kind).toBe("unreachable");
    expect(error.message).toContain(`Cannot reach Argo CD at ${url}`);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("gives up on a server that never answers, naming it", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slow = createArgoCdClient({ server: url, token: "t", timeoutMs: 200 });
    const error = await failure(slow.getApplication(guestbook));
    await slow.close();
    silent.closeAllConnections();
    silent.close();
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain(`Argo CD at ${url} did not answer GET /api/v1/applications/guestbook within 200 ms`);
  });

  it("recognises a login page or proxy answering instead of the API", async () => {
    const html: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"));
    await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}/argocd`;
    const proxied = createArgoCdClient({ server: url, token: "t" });
    const error = await failure(proxied.getApplication(guestbook));
    await proxied.close();
    html.close();
    expect(error.kind).toBe("bad-response");
    expect(error.message).toContain("text/html");
    expect(error.message).toContain("ARGOCD_SERVER");
  });

  it("verifies TLS by default and skips it only when told to", async () => {
    const secure = await startFakeArgoCd({ tls: selfSignedCert() });
    secure.addApplication(gitApp("guestbook"));
    const strict = createArgoCdClient({ server: secure.url, token: secure.token });
    const error = await failure(strict.getApplication(guestbook));
    expect(error.kind).toBe("tls");
    expect(error.message).toContain("ARGOCD_INSECURE_SKIP_TLS_VERIFY=true");
    const lax = createArgoCdClient({ server: secure.url, token: secure.token, insecureSkipTLSVerify: true });
    expect((await lax.getApplication(guestbook)).metadata?.name).toBe("guestbook");
    await Promise.all([strict.close(), lax.close()]);
    expect(contractViolations(secure.requests())).toEqual([]);
    await secure.close();
  });
});
