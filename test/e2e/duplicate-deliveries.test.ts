import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { DiscoveryOutcome } from "../../src/jobs/discovery/discover-warehouse.js";
import { WEBHOOK_PATH, type RunningServer } from "../../src/server.js";
import { REGISTRY_WEBHOOKS_PATH } from "../../src/web/registry-webhooks.js";
import { signBody } from "../../src/web/verify-signature.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog, type CapturedLog } from "../support/capture-log.js";
import { startRegistry, type TestRegistry } from "../support/distribution-registry.js";
import { testRedisUrl } from "../support/redis.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const SECRET = "registry-receiver-secret-duplicates";
const repo = { owner: "acme", repo: "gitops" };
const COPIES = 20;
const DRIVERS = [
  { driver: "memory", redisUrl: () => undefined },
  { driver: "bullmq", redisUrl: () => testRedisUrl() },
];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, captured: CapturedLog, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${String(l.err ?? "")}`.slice(0, 300)).join(" | ")}`);
}

/** How many jobs of this name ran to the end (the App's own metric). */
async function jobsDone(server: RunningServer, job: string): Promise<number> {
  const text = await server.metrics.registry.getSingleMetricAsString("stagecoach_jobs_processed_total");
  return Number(new RegExp(`job="${job}",outcome="ok"} (\\d+)`).exec(text)?.[1] ?? 0);
}

/**
 * GitHub and registries deliver the same thing more than once, and under load all at once: twenty
 * identical copies of one delivery make one job, one answer, one commit and one pull request, on
 * the in-memory queue and on BullMQ on the real Redis alike.
 */
describe.each(DRIVERS)("end to end: twenty identical deliveries at once ($driver queue)", { timeout: 150_000 }, ({ redisUrl }) => {
  let t: TestSandbox;
  let registry: TestRegistry;
  let server: RunningServer;
  let octokit: Octokit;
  const captured = captureLog();
  const outcomes: DiscoveryOutcome[] = [];
  const states: PromotionState[] = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    registry = await startRegistry();
    await registry.pushImage("acme/app", "1.0.0");
    const image = `${registry.host}/acme/app`;
    server = await startAppOnSandbox(t, {
      log: captured.log,
      settings: { redisUrl: redisUrl(), discoveryNetwork: { allowPrivateNetworks: true }, registryWebhookSecrets: { distribution: SECRET } },
      onDiscovered: (outcome) => outcomes.push(outcome),
      onPromotion: (state) => states.push(state),
    });
    const kustomization = `resources:\n  - deployment.yaml\nimages:\n  - name: ${image}\n    newTag: 0.9.0\n`;
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n", "env/dev/kustomization.yaml": kustomization, "env/dev/deployment.yaml": "kind: Deployment\n" } });
    t.sandbox.createUser("alice");
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    const config = ["project: guestbook", "repoURL: https://github.com/acme/gitops", "warehouses:", "  - name: app", "    subscriptions:", `      - image: { repoURL: ${image} }`, "stages:", "  - name: dev", "    from: app", `    kustomize: { path: env/dev, image: ${image} }`].join("\n");
    await t.sandbox.pushCommit({ ...repo, branch: "main", files: { ".github/stagecoach.yml": config }, message: "add pipeline", author: "acme" });
    await waitFor("the first freight", () => outcomes.find((o) => o.created && o.freight?.images?.[0]?.tag === "1.0.0"), captured);
  });
  afterAll(async () => {
    await server?.close();
    await registry?.close();
    await t?.close();
  });

  it("runs a comment's command once: one job, one answer, one promotion, one commit, one pull request", async () => {
    const { freight } = await recordFreight(octokit, repo, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: `${registry.host}/acme/app`, tag: "0.9.9" }], createdAt: new Date().toISOString() });
    const issue = (await octokit.rest.issues.create({ ...repo, title: "Releases" })).data.number;
    // The comment is made while the App's webhook points nowhere, so that the App sees only the copies below.
    t.sandbox.setWebhookUrl(t.app.id, "http://127.0.0.1:9/nowhere");
    t.sandbox.comment({ ...repo, number: issue, body: `/promote dev ${freight.alias}`, author: "alice" });
    await t.sandbox.waitForIdle();
    const delivery = t.sandbox.deliveries().filter((d) => d.event === "issue_comment").at(-1)!;
    t.sandbox.setWebhookUrl(t.app.id, `${server.url}${WEBHOOK_PATH}`);
    const headers = { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": delivery.id, "x-hub-signature-256": signBody(t.app.webhookSecret, delivery.body) };
    const answers = await Promise.all(Array.from({ length: COPIES }, () => fetch(`${server.url}${WEBHOOK_PATH}`, { method: "POST", body: delivery.body, headers })));
    expect(answers.map((a) => a.status)).toEqual(Array(COPIES).fill(202));

    const pulls = await waitFor("the promotion's pull request", async () => {
      const { data } = await octokit.rest.pulls.list({ ...repo, state: "all" });
      const found = data.filter((p) => p.head.ref.startsWith(`stagecoach/promotion/guestbook/dev/${freight.name.slice(0, 12)}`));
      return found.length > 0 ? found : undefined;
    }, captured);
    // Time for a wrongly queued second job to do its damage before counting.
    await new Promise((r) => setTimeout(r, 1_500));
    await t.sandbox.waitForIdle();
    expect(await jobsDone(server, "run-commands")).toBe(1);
    const { data: again } = await octokit.rest.pulls.list({ ...repo, state: "all" });
    expect(again.filter((p) => p.head.ref.startsWith(`stagecoach/promotion/guestbook/dev/${freight.name.slice(0, 12)}`))).toHaveLength(1);
    const { data: commits } = await octokit.rest.pulls.listCommits({ ...repo, pull_number: pulls[0]!.number });
    expect(commits).toHaveLength(1);
    const { data: comments } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue });
    expect(comments.filter((c) => c.user?.type === "Bot")).toHaveLength(1);
    expect(new Set(states.filter((s) => s.id.includes(freight.name.slice(0, 12))).map((s) => s.id)).size).toBe(1);
  });

  it("refreshes a warehouse once for twenty copies of a registry's push notification, and records its freight once", async () => {
    const digest = await registry.pushImage("acme/app", "1.1.0", { salt: "1.1.0" });
    const body = JSON.stringify({
      events: [{ id: randomUUID(), timestamp: new Date().toISOString(), action: "push", target: { mediaType: "application/vnd.oci.image.manifest.v1+json", repository: "acme/app", tag: "1.1.0", digest }, request: { host: registry.host, method: "PUT" } }],
    });
    const refreshesBefore = await jobsDone(server, "refresh-subscribers");
    const answers = await Promise.all(
      Array.from({ length: COPIES }, () => fetch(`${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, { method: "POST", body, headers: { "content-type": "application/json", authorization: SECRET } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(COPIES).fill(202));
    await waitFor("freight for 1.1.0", () => outcomes.find((o) => o.created && o.freight?.images?.[0]?.tag === "1.1.0"), captured);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await jobsDone(server, "refresh-subscribers")) - refreshesBefore).toBe(1);
    expect(outcomes.filter((o) => o.created && o.freight?.images?.[0]?.tag === "1.1.0")).toHaveLength(1);
  });
});

/**
 * The App starting while an installation arrives: the startup sync lists it too (here GitHub's
 * list of installations is slow, so the list is read after the installation exists). Its
 * warehouses are registered once, by whichever sync begins first.
 */
describe.each(DRIVERS)("end to end: the startup sync and an installation's delivery racing ($driver queue)", { timeout: 90_000 }, ({ redisUrl }) => {
  it("syncs the installation once, and still looks for waits to pick up", async () => {
    const t = await startTestSandbox();
    const captured = captureLog();
    const synced: number[] = [];
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    t.sandbox.delayNext({ method: "GET", path: "/app/installations", ms: 1_500, times: 1 });
    const server = await startAppOnSandbox(t, { log: captured.log, settings: { redisUrl: redisUrl() }, onInstallationSynced: (id) => synced.push(id) });
    try {
      const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
      // Only the startup sync looks for waits to pick up: once that ran, both syncs have.
      await waitFor("the startup sync to reach the installation", async () => ((await jobsDone(server, "recover-repository")) >= 1 ? true : undefined), captured);
      await new Promise((r) => setTimeout(r, 500));
      expect(synced).toEqual([installationId]);
      expect(captured.messages()).toContain(`installation ${installationId} was synced since the App started; only looking for waits to pick up in its 1 repositories`);
      expect(await jobsDone(server, "recover-repository")).toBe(1);
    } finally {
      await server.close();
      await t.close();
    }
  });
});
