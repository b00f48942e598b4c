/**
 * Registry push → promotion pull request opened, with the GitHub sandbox answering at once and
 * with 100 ms injected per GitHub call; and the GitHub calls that takes. The registry is a real
 * CNCF Distribution (docker-registry) that notifies the App; the App runs on the embedded queue,
 * once as `npm start` runs it (Probot spaces GitHub writes a second apart, as GitHub advises) and
 * once without that spacing, which shows the App's own share. Prints medians; asserts nothing.
 * Run: node --import tsx bench/push-to-pr.ts
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createLogger } from "../src/log.js";
import type { PromotionState } from "../src/promotion/index.js";
import { startGitHubSandbox } from "../src/sandbox/github/index.js";
import { startServer, WEBHOOK_PATH } from "../src/server.js";
import { MAX_WEBHOOK_BYTES } from "../src/settings.js";
import { REGISTRY_WEBHOOKS_PATH } from "../src/web/registry-webhooks.js";
import { startRegistry } from "../test/support/distribution-registry.js";

const RUNS = 5;
const LATENCIES = [0, 100];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes that belong to the promotion itself (branch, commit, pull request, labels). */
const PROMOTION_WRITES = /^(POST|PATCH) \/repos\/\{owner\}\/\{repo\}\/(git\/(blobs|trees|commits|refs)|git\/refs\/\{ref\}|pulls|issues\/\{issue_number\}\/labels)$/;

async function measure(throttle: boolean): Promise<void> {
  const secret = randomBytes(16).toString("hex");
  const sandbox = await startGitHubSandbox();
  const app = sandbox.registerApp({ name: "Stagecoach bench" });
  const parkedAt: PromotionState[] = [];
  const verified: string[] = [];
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
      throttleGitHubWrites: throttle,
    },
    log: createLogger({ level: "error" }),
    onPromotion: (state) => {
      if (state.phase === "Running") parkedAt.push(state);
    },
    onVerified: (result) => verified.push(result.promotionId),
  });
  sandbox.setWebhookUrl(app.id, `${server.url}${WEBHOOK_PATH}`);
  const registry = await startRegistry({ notifications: { url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${secret}` } } });
  const image = `${registry.host}/bench/app`;
  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 180_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(5);
    }
  };

  try {
    await sandbox.createRepo("acme", "gitops", {
      files: { "env/dev/kustomization.yaml": `resources:\n  - deployment.yaml\nimages:\n  - name: ${image}\n    newTag: 0.0.1\n`, "env/dev/deployment.yaml": "kind: Deployment\n" },
    });
    await sandbox.installApp(app.id, "acme", ["gitops"]);
    const config = ["project: bench", "repoURL: https://github.com/acme/gitops", "warehouses:", "  - name: app", "    subscriptions:", `      - image: { repoURL: ${image} }`, "stages:", "  - name: dev", "    from: app", "    autoPromote: true", `    kustomize: { path: env/dev, image: ${image} }`].join("\n");
    await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": config }, message: "bench pipeline", author: "acme" });
    await sandbox.waitForIdle();
    await sleep(3000);

    let run = 0;
    for (const latency of LATENCIES) {
      sandbox.setLatency(latency);
      const times: number[] = [];
      const calls: number[] = [];
      const writes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        run += 1;
        const before = parkedAt.length;
        sandbox.resetStats();
        const start = performance.now();
        await registry.pushImage("bench/app", `1.0.${run}`, { salt: `r${run}` });
        await until("the promotion pull request", () => parkedAt.length > before);
        times.push(performance.now() - start);
        const stats = Object.entries(sandbox.stats());
        calls.push(stats.reduce((sum, [, s]) => sum + s.calls, 0));
        writes.push(stats.filter(([endpoint]) => PROMOTION_WRITES.test(endpoint)).reduce((sum, [, s]) => sum + s.calls, 0));
        // Merge it and let its deployment and verification finish, so the next run starts from quiet.
        const promotion = parkedAt.at(-1)!;
        const pull = [...sandbox.context.store.pulls.values()].at(-1)!;
        await sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "acme" });
        await until("verification", () => verified.includes(promotion.id));
        await sandbox.waitForIdle();
        await sleep(throttle ? 2000 : 200);
      }
      console.log(
        `  ${String(latency).padStart(3)} ms per GitHub call: push → PR opened median ${(median(times) / 1000).toFixed(2)} s; ` +
          `GitHub calls ${median(calls)} (discovery, freight record, config, promotion, approval status), of which branch/commit/PR/label writes ${median(writes)}`,
      );
    }
  } finally {
    await server.close();
    await registry.close();
    await sandbox.close();
  }
}

console.log(`registry push → promotion pull request opened (median of ${RUNS}), as npm start runs it (GitHub writes spaced 1 s apart):`);
await measure(true);
console.log("the same without the write spacing (the App's own share):");
await measure(false);
