import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { Redis } from "ioredis";
import { WEBHOOK_PATH } from "../../../src/server.js";
import { MAX_WEBHOOK_BYTES, type Settings } from "../../../src/settings.js";
import type { Interception } from "../../../src/sandbox/github/index.js";
import { guestbookConfig, guestbookFiles, waiter } from "../../support/e2e.js";
import { freePort, startThrowawayRedis, type TestRedis } from "../../support/redis.js";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";

const APP_ENTRY = fileURLToPath(new URL("./app-process.ts", import.meta.url));

/** The App as a process of its own, which the fault suite kills with SIGKILL and starts again. */
export class AppProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  constructor(private readonly settings: Settings, private readonly prefix: string) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the App and resolves once it listens (the time it took, in ms). */
  async start(): Promise<number> {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", APP_ENTRY], {
      env: { ...process.env, FAULT_APP_SETTINGS: JSON.stringify(this.settings), FAULT_QUEUE_PREFIX: this.prefix },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let buffered = "";
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        for (let newline = buffered.indexOf("\n"); newline !== -1; newline = buffered.indexOf("\n")) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          this.output.push(line);
          if (line.startsWith('{"ready":')) resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => this.output.push(chunk.toString("utf8")));
      child.once("exit", (code, signal) => reject(new Error(`the App exited before it was ready (${code ?? signal}): ${this.output.slice(-5).join(" | ")}`)));
    });
    return Date.now() - started;
  }

  /** kill -9: no shutdown, no lock released, jobs left active. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Warnings and errors the App logged, for a failing test's message. */
  problems(): string[] {
    return this.output.filter((line) => /"level":(40|50|60)/.test(line)).map((line) => line.slice(0, 400));
  }
}

/** Where a promotion can be interrupted, as calls the App makes to GitHub. */
export interface KillPoint {
  name: string;
  interception: (repo: string) => Omit<Interception, "hook">;
  /** What the test does while the App is down (a person merges, CI reports). */
  whileDown?: "merge" | "report";
}

const isPromotionRef = (body: unknown) => {
  const ref = String((body as { ref?: unknown } | undefined)?.ref ?? "");
  return ref.startsWith("refs/heads/stagecoach/promotion/") || ref.startsWith("heads/stagecoach/promotion/");
};
const checkRunNamed = (name: string) => (body: unknown) => (body as { name?: unknown } | undefined)?.name === name;

export const KILL_POINTS: readonly KillPoint[] = [
  { name: "before push", interception: (repo) => ({ method: "POST", path: `/repos/acme/${repo}/git/refs`, when: "before", body: isPromotionRef }) },
  { name: "after push", interception: (repo) => ({ method: "POST", path: `/repos/acme/${repo}/git/refs`, when: "after", body: isPromotionRef }) },
  { name: "after PR", interception: (repo) => ({ method: "POST", path: `/repos/acme/${repo}/pulls`, when: "after" }) },
  { name: "during wait", interception: (repo) => ({ method: "POST", path: `/repos/acme/${repo}/check-runs`, when: "after", body: checkRunNamed("stagecoach/promotion dev") }), whileDown: "merge" },
  { name: "during verification", interception: (repo) => ({ method: "POST", path: `/repos/acme/${repo}/check-runs`, when: "after", body: checkRunNamed("stagecoach/verify dev") }), whileDown: "report" },
];

/** dev needs a person's merge and a green `ci/smoke` on the merged commit: each is a point to crash around. */
export const faultConfig = (repo: string) =>
  guestbookConfig(
    `
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github:
      verify: { checks: [ci/smoke] }
`,
    repo,
  );

export interface FaultHarness {
  t: TestSandbox;
  redis: TestRedis;
  app: AppProcess;
  installationId: number;
  octokit: Octokit;
  carol: Octokit;
  wait: ReturnType<typeof waiter>;
  /** A new GitOps repository with the pipeline adopted by the App; its default branch's commit before any promotion. */
  newRepository(): Promise<{ repo: string; base: string }>;
  /** Runs `hook` at the next call the point names (in `repo`). */
  arm(point: KillPoint, repo: string, hook: () => Promise<void>): void;
  /** Empties the App's Redis (its own throwaway server), as a flush or a failover to an empty replica would. */
  flushRedis(): Promise<void>;
  close(): Promise<void>;
}

let repositories = 0;

export async function startFaultHarness(): Promise<FaultHarness> {
  const t = await startTestSandbox();
  const redis = await startThrowawayRedis();
  const port = await freePort();
  const settings: Settings = {
    appId: t.app.id,
    privateKey: t.app.privateKey,
    webhookSecret: t.app.webhookSecret,
    githubApiUrl: t.sandbox.url,
    redisUrl: redis.url,
    port,
    host: "127.0.0.1",
    logLevel: "info",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
    throttleGitHubWrites: false,
    pollMs: 500,
  };
  const app = new AppProcess(settings, `faults-${randomUUID()}`);
  t.sandbox.setWebhookUrl(t.app.id, `http://127.0.0.1:${port}${WEBHOOK_PATH}`);
  t.sandbox.createOrg("acme");
  const carolAccount = t.sandbox.createUser("carol");
  const installationId = await t.sandbox.installApp(t.app.id, "acme", "all");
  const octokit = await t.installationOctokit(installationId);
  const flusher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const wait = waiter(t);
  await app.start();
  return {
    t,
    redis,
    app,
    installationId,
    octokit,
    carol: t.userOctokit(carolAccount.token),
    wait: async (what, probe, ms) => {
      try {
        return await wait(what, probe, ms);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nApp problems: ${app.problems().slice(-15).join("\n")}`);
      }
    },
    async newRepository() {
      const repo = `gitops-${++repositories}`;
      await t.sandbox.createRepo("acme", repo, { files: { "README.md": "# gitops\n" } });
      t.sandbox.setPermission("acme", repo, "carol", "write");
      const sha = await t.sandbox.pushCommit({ owner: "acme", repo, branch: "main", files: guestbookFiles(faultConfig(repo), ["dev"]), message: "pipeline", author: "acme" });
      await wait(`the config of ${repo} to be adopted`, async () => {
        const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo, ref: sha, check_name: "stagecoach/config" });
        return data.check_runs.find((r) => r.status === "completed" && r.conclusion === "success");
      });
      return { repo, base: sha };
    },
    arm(point, repo, hook) {
      t.sandbox.interceptNext({ ...point.interception(repo), hook });
    },
    async flushRedis() {
      await flusher.flushall();
    },
    async close() {
      await app.kill();
      flusher.disconnect();
      await redis.stop();
      await t.close();
    },
  };
}
