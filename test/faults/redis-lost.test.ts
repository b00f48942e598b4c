import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import type { DiscoveryOutcome } from "../../src/jobs/discovery/discover-warehouse.js";
import type { RunningServer } from "../../src/server.js";
import { REGISTRY_WEBHOOKS_PATH } from "../../src/web/registry-webhooks.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startRegistry, type TestRegistry } from "../support/distribution-registry.js";
import { waiter } from "../support/e2e.js";
import { startThrowawayRedis, type TestRedis } from "../support/redis.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const SECRET = "registry-receiver-secret-42";

/**
 * Redis holds only what GitHub can give back, and gives it back whenever it is lost, not only at
 * start: after a flush while the App runs, the next image push is still discovered, and polling
 * is scheduled again.
 */
describe("faults: Redis loses its data while the App runs", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let redis: TestRedis;
  let registry: TestRegistry;
  let server: RunningServer;
  let flusher: Redis;
  const outcomes: DiscoveryOutcome[] = [];
  const captured = captureLog();
  let wait: ReturnType<typeof waiter>;

  beforeAll(async () => {
    t = await startTestSandbox();
    wait = waiter(t, captured);
    redis = await startThrowawayRedis();
    flusher = new Redis(redis.url);
    server = await startAppOnSandbox(t, {
      log: captured.log,
      settings: { redisUrl: redis.url, discoveryNetwork: { allowPrivateNetworks: true }, registryWebhookSecrets: { distribution: SECRET } },
      onDiscovered: (outcome) => outcomes.push(outcome),
    });
    registry = await startRegistry({ notifications: { url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${SECRET}` } } });
    await registry.pushImage("acme/app", "1.0.0");
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "gitops\n" } });
    await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    const config = ["project: guestbook", "warehouses:", "  - name: app", "    subscriptions:", `      - image: { repoURL: ${registry.host}/acme/app }`, "stages: []"].join("\n");
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": config }, message: "add pipeline", author: "acme" });
    await wait("the first freight", () => outcomes.find((o) => o.created));
  });
  afterAll(async () => {
    flusher?.disconnect();
    await server?.close();
    await registry?.close();
    await redis?.stop();
    await t?.close();
  });

  it("discovers a push that comes after the flush, and schedules polling again", async () => {
    expect(await server.queue.listSchedules()).toHaveLength(1);
    await flusher.flushall();
    expect(await server.queue.listSchedules()).toEqual([]);
    // Right after the flush: the push must wait for the rebuilt index rather than find no subscriber and be dropped.
    const digest = await registry.pushImage("acme/app", "1.1.0", { salt: "1.1.0" });
    const outcome = await wait("freight for 1.1.0", () => outcomes.find((o) => o.created && o.freight?.images?.[0]?.tag === "1.1.0"));
    expect(outcome.freight?.images?.[0]?.digest).toBe(digest);
    await wait("polling to be scheduled again", async () => ((await server.queue.listSchedules()).length === 1 ? true : undefined));
    // Rebuilt because the state was found lost, not by a restart.
    expect(captured.lines.some((l) => l.reason === "state-lost" && String(l.msg).startsWith("rebuilding warehouse registrations"))).toBe(true);
  });
});
