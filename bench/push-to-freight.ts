/**
 * Registry push → freight recorded on GitHub, through the webhook path (the registry's push
 * notification reaches the App) and through the polling path (the warehouse's next poll). The App
 * runs on the embedded queue against the GitHub sandbox; the registry is a real CNCF Distribution
 * (docker-registry) with notifications on. For polling, "poll" is the time from a poll tick to the
 * recorded freight; a real push waits on average half the interval for that tick first (2.5 min at
 * Kargo's default 5m), which is added in the printed estimate. Prints medians; asserts nothing.
 * Run: node --import tsx bench/push-to-freight.ts
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createLogger } from "../src/log.js";
import type { DiscoveryOutcome } from "../src/jobs/discovery/discover-warehouse.js";
import { startGitHubSandbox } from "../src/sandbox/github/index.js";
import { startServer, WEBHOOK_PATH } from "../src/server.js";
import { MAX_WEBHOOK_BYTES } from "../src/settings.js";
import { REGISTRY_WEBHOOKS_PATH } from "../src/web/registry-webhooks.js";
import { startRegistry } from "../test/support/distribution-registry.js";

const RUNS = 5;
const DEFAULT_INTERVAL_MS = 5 * 60_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const secret = randomBytes(16).toString("hex");
const sandbox = await startGitHubSandbox();
const app = sandbox.registerApp({ name: "Stagecoach bench" });
const outcomes: { at: number; outcome: DiscoveryOutcome }[] = [];
const server = await startServer({
  settings: {
    appId: app.id,
    privateKey: app.privateKey,
    webhookSecret: app.webhookSecret,
    githubApiUrl: sandbox.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: "error",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
    discoveryNetwork: { allowPrivateNetworks: true },
    registryWebhookSecrets: { distribution: secret },
  },
  log: createLogger({ level: "error" }),
  onDiscovered: (outcome) => outcomes.push({ at: performance.now(), outcome }),
});
sandbox.setWebhookUrl(app.id, `${server.url}${WEBHOOK_PATH}`);
const registry = await startRegistry({ notifications: { url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${secret}` } } });
// A second registry without notifications: its warehouse only learns of pushes by polling.
const quiet = await startRegistry();

const waitForFreight = async (warehouse: string, tag: string, since: number): Promise<DiscoveryOutcome & { at: number }> => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const found = outcomes.find((o) => o.at >= since && o.outcome.warehouse === warehouse && o.outcome.created && o.outcome.freight?.images?.[0]?.tag === tag);
    if (found) return { ...found.outcome, at: found.at };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no freight for ${tag}`);
};

try {
  await registry.pushImage("bench/app", "0.0.1");
  await quiet.pushImage("bench/app", "0.0.1");
  await sandbox.createRepo("acme", "gitops", { files: { "README.md": "bench\n" } });
  const installationId = await sandbox.installApp(app.id, "acme", ["gitops"]);
  const config = [
    "project: bench",
    "warehouses:",
    "  - name: hooked",
    "    subscriptions:",
    `      - image: { repoURL: ${registry.host}/bench/app }`,
    "  - name: polled",
    "    subscriptions:",
    `      - image: { repoURL: ${quiet.host}/bench/app }`,
    "stages: []",
  ].join("\n");
  await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": config }, message: "bench pipeline", author: "acme" });
  await Promise.all([waitForFreight("hooked", "0.0.1", 0), waitForFreight("polled", "0.0.1", 0)]);

  const webhook: number[] = [];
  const polling: number[] = [];
  const known: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    let start = performance.now();
    const wallStart = Date.now();
    await registry.pushImage("bench/app", `1.0.${run}`, { salt: `w${run}` });
    const hooked = await waitForFreight("hooked", `1.0.${run}`, start);
    webhook.push(hooked.at - start);
    known.push(Date.parse(hooked.discoveredAt) - wallStart);

    await quiet.pushImage("bench/app", `1.0.${run}`, { salt: `p${run}` });
    start = performance.now();
    await server.queue.enqueue("discover-warehouse", { installationId, owner: "acme", repo: "gitops", warehouse: "polled", reason: "poll" });
    polling.push((await waitForFreight("polled", `1.0.${run}`, start)).at - start);
  }
  const hook = median(webhook);
  const poll = median(polling);
  console.log(`registry push → freight recorded on GitHub (median of ${RUNS}, loopback, Probot's 1 write/s throttle included):`);
  console.log(`  webhook path: push → new artifact known (discovery done): ${median(known).toFixed(0)} ms`);
  console.log(`  webhook path: push → freight recorded:                    ${hook.toFixed(0)} ms`);
  console.log(`  polling path, from the poll tick:     ${poll.toFixed(0)} ms`);
  console.log(`  polling path, expected from the push at the default 5m interval: ${((DEFAULT_INTERVAL_MS / 2 + poll) / 1000).toFixed(1)} s → the webhook path is ${((DEFAULT_INTERVAL_MS / 2 + poll) / hook).toFixed(0)}× sooner`);
} finally {
  await server.close();
  await registry.close();
  await quiet.close();
  await sandbox.close();
}
