import { createHash } from "node:crypto";
import { createLogger } from "../log.js";
import type { PromotionState } from "../promotion/index.js";
import type { MemoryQueue } from "../queue/memory-queue.js";
import { startServer, WEBHOOK_PATH, type RunningServer } from "../server.js";
import { MAX_WEBHOOK_BYTES } from "../settings.js";
import { startGitHubSandbox, type GitHubSandbox } from "./github/index.js";
import { DEMO_CONFIG, DEMO_REPOSITORY_FILES } from "./demo-repository.js";

/**
 * `npm run demo`: the real App code against the bundled GitHub sandbox, on the embedded in-memory
 * queue — no GitHub account, no Redis. It prints a timeline of what happens.
 */
const started = Date.now();
const say = (text: string) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s  ${text}\n`);

async function settle(sandbox: GitHubSandbox, server: RunningServer): Promise<void> {
  // Deliveries cause jobs, jobs cause deliveries: wait until both sides are quiet.
  for (let i = 0; i < 50; i++) {
    await sandbox.waitForIdle();
    await (server.queue as MemoryQueue).idle();
    await sandbox.waitForIdle();
    if (sandbox.deliveries().every((d) => d.status !== undefined || d.error !== undefined)) return;
  }
}

async function main(): Promise<void> {
  say("starting the GitHub sandbox (real git repositories behind GitHub's REST API)");
  const sandbox = await startGitHubSandbox();
  const app = sandbox.registerApp({ name: "Stagecoach" });
  const checks: Array<{ sha: string; valid: boolean; applied: boolean }> = [];
  const promotions: PromotionState[] = [];
  const server = await startServer({
    settings: {
      appId: app.id,
      privateKey: app.privateKey,
      webhookSecret: app.webhookSecret,
      githubApiUrl: sandbox.url,
      port: 0,
      host: "127.0.0.1",
      logLevel: process.env.LOG_LEVEL ?? "warn",
      maxWebhookBytes: MAX_WEBHOOK_BYTES,
    },
    log: createLogger({ level: process.env.LOG_LEVEL ?? "warn" }),
    onConfigChecked: (result) => checks.push(result),
    onPromotion: (state) => promotions.push(state),
  });
  say(`Stagecoach is listening on ${server.url} (queue: ${server.queue.driver}, no REDIS_URL)`);
  sandbox.setWebhookUrl(app.id, `${server.url}${WEBHOOK_PATH}`);
  await settle(sandbox, server);
  say(`GitHub pinged the webhook → ${sandbox.deliveries().find((d) => d.event === "ping")?.status}`);

  sandbox.createOrg("acme");
  sandbox.createUser("alice");
  await sandbox.createRepo("acme", "gitops", { files: DEMO_REPOSITORY_FILES });
  sandbox.setPermission("acme", "gitops", "alice", "write");
  say("acme/gitops created: env/dev, env/uat, env/prod kustomizations for ghcr.io/acme/app:1.0.0");

  const installationId = await sandbox.installApp(app.id, "acme", ["gitops"]);
  await settle(sandbox, server);
  say(`the App is installed on acme/gitops (installation ${installationId}); the installation delivery was answered ${sandbox.deliveries().find((d) => d.event === "installation")?.status}`);
  const octokit = await server.probot.auth(installationId);

  const configCheck = async (sha: string) => {
    await settle(sandbox, server);
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
    return data.check_runs[0];
  };

  const goodSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": DEMO_CONFIG }, message: "Add the Stagecoach pipeline", author: "alice" });
  const good = await configCheck(goodSha);
  say(`alice pushes .github/stagecoach.yml → check run stagecoach/config: ${good?.conclusion} — ${good?.output.summary}`);

  const broken = DEMO_CONFIG.replace("    from: dev\n", "    from: devv\n");
  const brokenSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": broken }, message: "Typo in uat", author: "alice" });
  const failed = await configCheck(brokenSha);
  say(`alice pushes a typo → check run stagecoach/config: ${failed?.conclusion}`);
  if (failed) {
    const { data: annotations } = await octokit.rest.checks.listAnnotations({ owner: "acme", repo: "gitops", check_run_id: failed.id });
    for (const a of annotations) say(`    ${a.path}:${a.start_line}:${a.start_column ?? 1}: ${a.message}`);
    say(`    ${failed.output.summary?.split("\n")[0]}`);
  }
  const fixedSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": DEMO_CONFIG }, message: "Fix the typo", author: "alice" });
  say(`alice fixes it → stagecoach/config: ${(await configCheck(fixedSha))?.conclusion}`);

  const image = { repoURL: "ghcr.io/acme/app", tag: "1.1.0", digest: `sha256:${createHash("sha256").update("app 1.1.0").digest("hex")}` };
  const freightName = createHash("sha1").update(`Warehouse/app:${image.repoURL}:${image.tag}@${image.digest}`).digest("hex");
  say(`new freight ${freightName.slice(0, 7)} (ghcr.io/acme/app:1.1.0) → promotion to dev`);
  await server.queue.enqueue("promote", {
    installationId,
    owner: "acme",
    repo: "gitops",
    stage: "dev",
    freight: { name: freightName, alias: "brave-otter", origin: { kind: "Warehouse", name: "app" }, images: [image] },
  });
  await settle(sandbox, server);
  const opened = sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "opened" && d.body.includes("stagecoach/promotion/"));
  if (!opened) throw new Error(`no promotion pull request was opened: ${promotions.at(-1)?.message ?? "the promotion did not run"}`);
  const pr = JSON.parse(opened.body).pull_request as { number: number; title: string; head: { ref: string } };
  say(`pull request #${pr.number} "${pr.title}" opened from ${pr.head.ref}`);
  say(`    env/dev/kustomization.yaml on the branch: ${(await sandbox.readFile("acme", "gitops", pr.head.ref, "env/dev/kustomization.yaml"))?.match(/newTag: .*/)?.[0]}`);
  const calls = Object.entries(sandbox.stats()).filter(([k]) => /git\/(blobs|trees|commits|refs)|branches|contents|pulls$/.test(k));
  say(`    GitHub API calls so far by endpoint: ${calls.map(([k, v]) => `${k.replace("/repos/{owner}/{repo}", "")}×${v.calls}`).join(", ")}`);
  say(`promotion is ${promotions.at(-1)?.phase}, waiting at step ${promotions.at(-1)?.steps[promotions.at(-1)!.currentStep]?.uses} (no worker is blocked)`);

  await sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pr.number, by: "alice" });
  await settle(sandbox, server);
  say(`alice merges #${pr.number} → promotion ${promotions.at(-1)?.phase}; main now has ${(await sandbox.readFile("acme", "gitops", "main", "env/dev/kustomization.yaml"))?.match(/newTag: .*/)?.[0]}`);
  say("(Argo CD would sync env/dev from main now; approvals by review, verification and /promote come next — see README)");

  say(`${sandbox.deliveries().length} signed webhook deliveries, all answered: ${sandbox.deliveries().every((d) => d.status === 202)}`);
  await server.close();
  await sandbox.close();
  say("done");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
