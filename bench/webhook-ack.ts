/**
 * Webhook acknowledgement time: signed `push` deliveries against the real server on loopback, one
 * that does not touch the config (the handler checks and returns) and one that does (the handler
 * enqueues a check-config job), on the in-memory queue and on BullMQ with Redis. The jobs
 * themselves fail at once (a stand-in GitHub answers 401, which nothing retries); only the answer
 * to the delivery is timed.
 * Prints medians and p95 over many sequential deliveries. Run: node --import tsx bench/webhook-ack.ts
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSilentLogger } from "../src/log.js";
import { startServer, WEBHOOK_PATH } from "../src/server.js";
import { MAX_WEBHOOK_BYTES } from "../src/settings.js";
import { signBody } from "../src/web/verify-signature.js";

const ROUNDS = 300;
const SECRET = "bench-secret";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

const pushOf = (path: string) => JSON.stringify({
  ref: "refs/heads/main",
  before: "0".repeat(40),
  after: "1".repeat(40),
  deleted: false,
  commits: [{ id: "1".repeat(40), added: [], removed: [], modified: [path] }],
  repository: { name: "gitops", full_name: "acme/gitops", owner: { login: "acme" }, default_branch: "main" },
  installation: { id: 1 },
  sender: { login: "alice", type: "User" },
});

const refusingGitHub = createServer((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}'));
await new Promise<void>((resolve) => refusingGitHub.listen(0, "127.0.0.1", () => resolve()));
const githubApiUrl = `http://127.0.0.1:${(refusingGitHub.address() as AddressInfo).port}`;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(label: string, redisUrl: string | undefined, push: string): Promise<void> {
  const server = await startServer({
    settings: { appId: 1, privateKey, webhookSecret: SECRET, githubApiUrl, redisUrl, port: 0, host: "127.0.0.1", logLevel: "silent", maxWebhookBytes: MAX_WEBHOOK_BYTES },
    log: createSilentLogger(),
    queuePrefix: `bench-${randomUUID()}`,
  });
  const times: number[] = [];
  const signature = signBody(SECRET, push);
  for (let i = 0; i < ROUNDS + 20; i++) {
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": signature },
      body: push,
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`delivery answered ${response.status}`);
    // The first deliveries warm up the JIT and connections; they are not counted.
    if (i >= 20) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await server.close();
  console.log(`${label.padEnd(28)} median ${quantile(times, 0.5).toFixed(2)} ms   p95 ${quantile(times, 0.95).toFixed(2)} ms   (${ROUNDS} deliveries)`);
}

const redis = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
await measure("push, memory, no job", undefined, pushOf("env/dev/values.yaml"));
await measure("push, memory, job queued", undefined, pushOf(".github/stagecoach.yml"));
await measure("push, BullMQ, no job", redis, pushOf("env/dev/values.yaml"));
await measure("push, BullMQ, job queued", redis, pushOf(".github/stagecoach.yml"));
refusingGitHub.close();
