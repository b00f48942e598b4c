import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscoveryOutcome } from "../../src/jobs/discovery/discover-warehouse.js";
import type { RunningServer } from "../../src/server.js";
import { REGISTRY_WEBHOOKS_PATH } from "../../src/web/registry-webhooks.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startRegistry, type TestRegistry } from "../support/distribution-registry.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const SECRET = "registry-receiver-secret-42";

/** The fast path: a real registry's push notification reaches the App and becomes freight at once. */
describe("end to end: registry push notification → freight", { timeout: 90_000 }, () => {
  let t: TestSandbox;
  let registry: TestRegistry;
  let server: RunningServer;
  const outcomes: DiscoveryOutcome[] = [];
  const unsubscribed: string[][] = [];
  const captured = captureLog();

  const waitFor = async <T>(what: string, find: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => l.msg).join(" | ")}`);
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, {
      log: captured.log,
      settings: { discoveryNetwork: { allowPrivateNetworks: true }, registryWebhookSecrets: { distribution: SECRET } },
      onDiscovered: (outcome) => outcomes.push(outcome),
      onUnsubscribed: (keys) => unsubscribed.push(keys),
    });
    registry = await startRegistry({ notifications: { url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${SECRET}` } } });
    await registry.pushImage("acme/app", "1.0.0");
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "gitops\n" } });
    await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    const config = ["project: guestbook", "warehouses:", "  - name: app", "    subscriptions:", `      - image: { repoURL: ${registry.host}/acme/app }`, "stages: []"].join("\n");
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": config }, message: "add pipeline", author: "acme" });
    await waitFor("the first freight", () => outcomes.find((o) => o.created));
  });
  afterAll(async () => {
    await server?.close();
    await registry?.close();
    await t?.close();
  });

  it("discovers the pushed image because the registry said so, not because of a poll", async () => {
    const digest = await registry.pushImage("acme/app", "1.1.0", { salt: "1.1.0" });
    const outcome = await waitFor("freight for 1.1.0", () => outcomes.find((o) => o.created && o.freight?.images?.[0]?.tag === "1.1.0"));
    expect(outcome.reason).toBe("registry:distribution");
    expect(outcome.freight?.images?.[0]).toEqual({ repoURL: `${registry.host}/acme/app`, tag: "1.1.0", digest });
  });

  it("notes a push of an image no warehouse subscribes to, and discovers nothing", async () => {
    const before = outcomes.length;
    await registry.pushImage("acme/other", "9.9.9");
    await waitFor("the unsubscribed push", () => unsubscribed.find((keys) => keys.includes(`image:${registry.host}/acme/other`)));
    expect(outcomes.length).toBe(before);
  });
});
