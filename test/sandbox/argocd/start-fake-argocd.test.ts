import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeArgoCd, type FakeArgoCd } from "../../../src/sandbox/argocd/start-fake-argocd.js";
import { signBody } from "../../../src/web/verify-signature.js";
import { gitApp, multiSourceApp } from "../../argocd/support/applications.js";
import { contractViolations } from "../../argocd/support/argocd-contract.js";
import { steppedClock } from "../../argocd/support/stepped-clock.js";

const SHA = "89abcdef0123456789abcdef0123456789abcdef";
let fake: FakeArgoCd;

afterEach(async () => {
  // These tests send hostile requests on purpose; what the fake answers must still match Argo CD.
  expect(contractViolations(fake.requests(), { requests: false })).toEqual([]);
  await fake.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${fake.token}` }) {
  const response = await fetch(fake.url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain-text answers (the webhook) stay text
  }
  return { status: response.status, body: json as Record<string, unknown> };
}

function pushPayload(ref: string, after: string) {
  return JSON.stringify({ ref, after, repository: { html_url: "https://github.com/acme/gitops", clone_url: "https://github.com/acme/gitops.git" } });
}

describe("fake Argo CD: authentication", () => {
  it("answers 401 without the token and accepts it as a bearer or as the argocd.token cookie", async () => {
    fake = await startFakeArgoCd({ token: "sandbox-token" });
    fake.addApplication(gitApp("web"));
    expect((await call("GET", "/api/v1/applications/web", undefined, {})).status).toBe(401);
    expect((await call("GET", "/api/v1/applications/web", undefined, { authorization: "Bearer wrong" })).body).toMatchObject({ code: 16 });
    expect((await call("GET", "/api/v1/applications/web", undefined, { cookie: "argocd.token=sandbox-token" })).status).toBe(200);
    expect(JSON.stringify(fake.requests())).not.toContain("sandbox-token");
  });
});

describe("fake Argo CD: the control API", () => {
  it("creates apps, scripts the next sync and finishes it on request", async () => {
    fake = await startFakeArgoCd({ syncDelayMs: "manual" });
    expect((await call("POST", "/_sandbox/applications", { application: gitApp("web"), outcome: { health: "Degraded", message: "OOMKilled" } })).status).toBe(200);
    await call("POST", "/api/v1/applications/web/sync", { name: "web" });
    const done = await call("POST", "/_sandbox/applications/web/complete-sync");
    expect(done.body).toMatchObject({ status: { health: { status: "Degraded", message: "OOMKilled" }, operationState: { phase: "Succeeded" } } });
    await call("POST", "/_sandbox/applications/web/health", { status: "Healthy" });
    expect(fake.getApplication("web")?.status?.health?.status).toBe("Healthy");
    expect((await call("POST", "/_sandbox/applications/web/sync-outcome", { phase: "Failed", health: "Healthy" })).status).toBe(200);
  });

  it.each([
    ["/_sandbox/applications", { application: {} }, 400, "body must be {application"],
    ["/_sandbox/applications", { application: gitApp("web"), outcome: { health: "Sparkly" } }, 400, 'outcome.health must be one of Healthy, Progressing, Degraded, Suspended, Missing, got "Sparkly"'],
    ["/_sandbox/applications/web/health", { status: "Great" }, 400, "body.status must be one of"],
    ["/_sandbox/applications/web/sync-outcome", { phase: "Maybe" }, 400, "body.phase must be one of Succeeded, Failed"],
    ["/_sandbox/applications/web/sync-outcome", "[1,2", 400, "is not JSON"],
    ["/_sandbox/applications/ghost/complete-sync", undefined, 404, 'applications.argoproj.io "ghost" not found'],
  ])("refuses POST %s %j", async (path, body, status, message) => {
    fake = await startFakeArgoCd();
    fake.addApplication(gitApp("web"));
    const answer = await call("POST", path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });
});

describe("fake Argo CD: the API's refusals", () => {
  it.each([
    ["PUT", "/api/v1/applications/web", { metadata: { name: "other" }, spec: gitApp("web").spec }, 400, "does not match the URL"],
    ["PUT", "/api/v1/applications/web", { metadata: { name: "web" }, spec: { ...gitApp("web").spec, sources: multiSourceApp("x").spec!.sources } }, 400, "mutually exclusive"],
    ["PUT", "/api/v1/applications/web", { metadata: { name: "web" }, spec: { project: "default", source: { path: "x" }, destination: { name: "in-cluster" } } }, 400, "every source needs a repoURL"],
    ["PUT", "/api/v1/applications/web", { metadata: { name: "web" }, spec: { source: { repoURL: "https://x" } } }, 400, "spec.destination.server or spec.destination.name is required"],
    ["POST", "/api/v1/applications/web/sync", { name: "web", revisions: ["1"], sourcePositions: ["7"] }, 400, "sourcePositions"],
    ["GET", "/api/v1/applications?selector=app%20in%20(web", undefined, 400, "invalid label selector"],
    ["PUT", "/api/v1/applications/web", "x".repeat(1024 * 1024 + 1), 400, "larger than"],
    ["GET", "/api/v1/applications/web/server-side-diff?project=default&targetManifests=%7Bbroken", undefined, 400, "targetManifests[0] is not a JSON object"],
    ["GET", "/api/v1/applications/web/server-side-diff?project=default&targetManifests=%7B%7D", undefined, 400, "targetManifests[0] has no kind"],
  ])("%s %s refuses %#", async (method, path, body, status, message) => {
    fake = await startFakeArgoCd();
    fake.addApplication(gitApp("web"));
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });

  it("answers 403 with Argo CD's permission-denied text, the same for a missing app", async () => {
    fake = await startFakeArgoCd({ username: "promoter" });
    fake.addApplication(gitApp("web"));
    fake.deny("get", "web");
    fake.deny("get", "ghost");
    expect((await call("GET", "/api/v1/applications/web")).body).toMatchObject({ code: 7, message: "permission denied: applications, get, default/web, sub: promoter" });
    expect((await call("GET", "/api/v1/applications/ghost")).status).toBe(403);
    expect((await call("GET", "/api/v1/applications")).body).toMatchObject({ items: [] });
  });
});

describe("fake Argo CD: syncing on its own", () => {
  it("finishes a sync after the configured delay on its clock", async () => {
    const clock = steppedClock();
    fake = await startFakeArgoCd({ syncDelayMs: 30_000, clock });
    fake.addApplication(gitApp("web", { targetRevision: SHA }));
    await call("POST", "/api/v1/applications/web/sync", { name: "web" });
    await vi.waitFor(() => expect(fake.getApplication("web")?.status?.sync).toMatchObject({ status: "Synced", revision: SHA }));
    expect(clock.sleeps).toEqual([30_000]);
    expect(fake.getApplication("web")?.status?.history).toHaveLength(1);
  });

  it("refreshes on a GitHub push and auto-syncs only the apps tracking that branch", async () => {
    fake = await startFakeArgoCd({ syncDelayMs: "manual", webhookSecret: "hook-secret" });
    fake.addApplication(gitApp("auto", { autoSync: true }));
    fake.addApplication(gitApp("manual"));
    fake.addApplication(gitApp("pinned", { autoSync: true, targetRevision: "release" }));
    const body = pushPayload("refs/heads/main", SHA);
    const answer = await call("POST", "/api/webhook", body, { "x-github-event": "push", "x-hub-signature-256": signBody("hook-secret", body) });
    expect(answer.status).toBe(200);
    expect(fake.getApplication("auto")?.status?.operationState).toMatchObject({ phase: "Running", operation: { initiatedBy: { automated: true } } });
    expect(fake.completeSync("auto").status?.sync).toMatchObject({ status: "Synced", revision: SHA });
    expect(fake.getApplication("manual")?.status).toMatchObject({ sync: { status: "OutOfSync", revision: SHA } });
    expect(fake.getApplication("manual")?.status?.operationState).toBeUndefined();
    expect(fake.getApplication("pinned")?.status?.sync?.revision).not.toBe(SHA);
  });

  it.each([
    ["a wrong signature", "hook-secret", { "x-github-event": "push", "x-hub-signature-256": "sha256=00" }, pushPayload("refs/heads/main", SHA), 400, "HMAC verification failed"],
    ["no signature while a secret is set", "hook-secret", { "x-github-event": "push" }, pushPayload("refs/heads/main", SHA), 400, "HMAC verification failed"],
    ["no event header", undefined, {}, pushPayload("refs/heads/main", SHA), 400, "missing X-GitHub-Event"],
    ["a body that is not JSON", undefined, { "x-github-event": "push" }, "{not json", 400, "not JSON"],
    ["a push without after or repository", undefined, { "x-github-event": "push" }, JSON.stringify({ ref: "refs/heads/main" }), 400, "needs ref, after and repository.html_url"],
    ["a tag push", undefined, { "x-github-event": "push" }, pushPayload("refs/tags/v1", SHA), 200, ""],
    ["a ping", undefined, { "x-github-event": "ping" }, "{}", 200, ""],
  ])("webhook: %s changes nothing", async (_label, secret, headers, body, status, message) => {
    fake = await startFakeArgoCd(secret ? { webhookSecret: secret } : {});
    fake.addApplication(gitApp("auto", { autoSync: true }));
    const answer = await call("POST", "/api/webhook", body, headers as Record<string, string>);
    expect(answer.status).toBe(status);
    expect(String(answer.body)).toContain(message);
    expect(fake.getApplication("auto")?.status?.operationState).toBeUndefined();
  });
});
