import { randomBytes } from "node:crypto";
import { listFreight } from "../github/freight-records.js";
import { createLogger } from "../log.js";
import type { PromotionState } from "../promotion/index.js";
import type { MemoryQueue } from "../queue/memory-queue.js";
import { startServer, WEBHOOK_PATH, type RunningServer } from "../server.js";
import { MAX_WEBHOOK_BYTES } from "../settings.js";
import { startGitHubSandbox, type GitHubSandbox } from "./github/index.js";
import { demoConfig, demoRepositoryFiles } from "./demo-repository.js";
import { startRegistrySandbox } from "./registry/index.js";
import { REGISTRY_WEBHOOKS_PATH } from "../web/registry-webhooks.js";

/**
 * `npm run demo`: the real App code against the bundled GitHub sandbox, on the embedded in-memory
 * queue — no GitHub account, no Redis. It prints a timeline of what happens.
 */
const started = Date.now();
const say = (text: string) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s  ${text}\n`);

async function settle(sandbox: GitHubSandbox, server: RunningServer): Promise<void> {
  // Deliveries cause jobs, jobs cause deliveries: quiet means a whole round in which nothing new was delivered.
  for (let i = 0; i < 100; i++) {
    const before = sandbox.deliveries().length;
    await sandbox.waitForIdle();
    await (server.queue as MemoryQueue).idle();
    await sandbox.waitForIdle();
    const all = sandbox.deliveries();
    if (all.length === before && all.every((d) => d.status !== undefined || d.error !== undefined)) return;
  }
}

async function main(): Promise<void> {
  say("starting the GitHub sandbox (real git repositories behind GitHub's REST API)");
  const sandbox = await startGitHubSandbox();
  const registry = await startRegistrySandbox();
  const image = `${registry.host}/acme/app`;
  const receiverSecret = randomBytes(16).toString("hex");
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
      // The demo's registry is on loopback, which discovery refuses unless told otherwise.
      discoveryNetwork: { allowedPrivateHosts: [registry.host, "127.0.0.1"] },
      registryWebhookSecrets: { distribution: receiverSecret },
      // The sandbox is local: no need to space writes a second apart as on github.com.
      throttleGitHubWrites: false,
    },
    log: createLogger({ level: process.env.LOG_LEVEL ?? "warn" }),
    onConfigChecked: (result) => checks.push(result),
    onPromotion: (state) => promotions.push(state),
  });
  say(`Stagecoach is listening on ${server.url} (queue: ${server.queue.driver}, no REDIS_URL)`);
  sandbox.setWebhookUrl(app.id, `${server.url}${WEBHOOK_PATH}`);
  registry.sendNotificationsTo({ url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${receiverSecret}` } });
  await registry.pushImage("acme/app", "latest", { created: "2026-11-01T09:00:00Z" });
  say(`a container registry is running at ${registry.host} (it notifies Stagecoach of pushes); ${image} has only the tag "latest"`);
  await settle(sandbox, server);
  say(`GitHub pinged the webhook → ${sandbox.deliveries().find((d) => d.event === "ping")?.status}`);

  sandbox.createOrg("acme");
  for (const login of ["alice", "bob", "carol"]) sandbox.createUser(login);
  await sandbox.createRepo("acme", "gitops", { files: demoRepositoryFiles(image) });
  sandbox.setPermission("acme", "gitops", "alice", "write");
  sandbox.setPermission("acme", "gitops", "carol", "write");
  sandbox.setPermission("acme", "gitops", "bob", "read");
  say(`acme/gitops created: env/dev, env/uat, env/prod kustomizations for ${image}:1.0.0`);

  const installationId = await sandbox.installApp(app.id, "acme", ["gitops"]);
  await settle(sandbox, server);
  say(`the App is installed on acme/gitops (installation ${installationId}); the installation delivery was answered ${sandbox.deliveries().find((d) => d.event === "installation")?.status}`);
  const octokit = await server.probot.auth(installationId);

  const configCheck = async (sha: string) => {
    await settle(sandbox, server);
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
    return data.check_runs[0];
  };

  const goodSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": demoConfig(image) }, message: "Add the Stagecoach pipeline", author: "alice" });
  const good = await configCheck(goodSha);
  say(`alice pushes .github/stagecoach.yml → check run stagecoach/config: ${good?.conclusion} — ${good?.output.summary}`);

  const broken = demoConfig(image).replace("    from: dev\n", "    from: devv\n");
  const brokenSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": broken }, message: "Typo in uat", author: "alice" });
  const failed = await configCheck(brokenSha);
  say(`alice pushes a typo → check run stagecoach/config: ${failed?.conclusion}`);
  if (failed) {
    const { data: annotations } = await octokit.rest.checks.listAnnotations({ owner: "acme", repo: "gitops", check_run_id: failed.id });
    for (const a of annotations) say(`    ${a.path}:${a.start_line}:${a.start_column ?? 1}: ${a.message}`);
    say(`    ${failed.output.summary?.split("\n")[0]}`);
  }
  const fixedSha = await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": demoConfig(image) }, message: "Fix the typo", author: "alice" });
  say(`alice fixes it → stagecoach/config: ${(await configCheck(fixedSha))?.conclusion}`);

  const warehouseCheck = (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: fixedSha, check_name: "stagecoach/warehouse app" })).data.check_runs[0];
  say(`warehouse app looked at ${image} → check run stagecoach/warehouse app: ${warehouseCheck?.conclusion} — ${warehouseCheck?.output.summary}`);

  const digest = await registry.pushImage("acme/app", "1.1.0", { created: "2026-11-22T09:00:00Z" });
  say(`CI pushes ${image}:1.1.0 (${digest.slice(0, 19)}…); the registry notifies Stagecoach`);
  await settle(sandbox, server);
  const [freight] = await listFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook");
  if (!freight) throw new Error("no freight was recorded after the push");
  say(`new freight ${freight.alias} (${freight.name.slice(0, 7)}) recorded as commit ${freight.commit?.slice(0, 7)} on refs/stagecoach/freight/guestbook; dev auto-promotes it`);
  await settle(sandbox, server);
  const opened = sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "opened" && d.body.includes("stagecoach/promotion/"));
  const labels = sandbox.deliveries().filter((d) => d.event === "pull_request" && d.action === "labeled").map((d) => (JSON.parse(d.body).label as { name: string }).name);
  if (!opened) throw new Error(`no promotion pull request was opened: ${promotions.at(-1)?.message ?? "the promotion did not run"}`);
  const pr = JSON.parse(opened.body).pull_request as { number: number; title: string; head: { ref: string } };
  say(`pull request #${pr.number} "${pr.title}" opened from ${pr.head.ref}`);
  say(`    labels: ${labels.join(", ")}`);
  say(`    env/dev/kustomization.yaml on the branch: ${(await sandbox.readFile("acme", "gitops", pr.head.ref, "env/dev/kustomization.yaml"))?.match(/newTag: .*/)?.[0]}`);
  const calls = Object.entries(sandbox.stats()).filter(([k]) => /git\/(blobs|trees|commits|refs)|branches|contents|pulls$/.test(k));
  say(`    GitHub API calls so far by endpoint: ${calls.map(([k, v]) => `${k.replace("/repos/{owner}/{repo}", "")}×${v.calls}`).join(", ")}`);
  say(`promotion is ${promotions.at(-1)?.phase}, waiting at step ${promotions.at(-1)?.steps[promotions.at(-1)!.currentStep]?.uses} (no worker is blocked)`);

  await sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pr.number, by: "alice" });
  await settle(sandbox, server);
  say(`alice merges #${pr.number} → promotion ${promotions.at(-1)?.phase}; main now has ${(await sandbox.readFile("acme", "gitops", "main", "env/dev/kustomization.yaml"))?.match(/newTag: .*/)?.[0]}`);
  say(`    ${await describeDeployment("dev")} (Argo CD syncs env/dev from main)`);

  const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: `Release ${freight.alias}` });
  const ask = async (author: string, body: string) => {
    sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body, author });
    await settle(sandbox, server);
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: issue.number, per_page: 100 });
    return comments.filter((c) => c.user?.login.endsWith("[bot]")).at(-1)?.body ?? "(no answer)";
  };
  const newestPromotionPull = (stage: string) => [...sandbox.context.store.pulls.values()].filter((p) => p.head.includes(`/${stage}/`)).at(-1);
  const approval = async (sha: string) => {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ owner: "acme", repo: "gitops", ref: sha });
    const status = data.statuses.find((s) => s.context === "stagecoach/approval");
    return status ? `${status.state} (${status.description})` : "none";
  };
  async function describeDeployment(stage: string): Promise<string> {
    const { data } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: stage, per_page: 1 });
    const latest = data[0];
    if (!latest) return `no GitHub deployment to ${stage}`;
    const payload = latest.payload as { freight?: { alias?: string } };
    return `GitHub deployment to ${stage}: ${payload.freight?.alias} at ${latest.sha.slice(0, 7)}`;
  }

  say(`issue #${issue.number} "${issue.title}" opened`);
  say(`bob (read access) comments "/promote uat" → ${(await ask("bob", "/promote uat")).split("\n")[0]}`);
  say(`alice comments "/promote uat" → ${(await ask("alice", "/promote uat")).split("\n")[0]}`);
  const uat = newestPromotionPull("uat");
  if (!uat) throw new Error(`no uat pull request was opened: ${promotions.at(-1)?.message ?? "the promotion did not run"}`);
  say(`pull request #${uat.number} "${uat.title}" opened; stagecoach/approval: ${await approval(uat.headSha)}`);
  await sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: uat.number, by: "carol", event: "APPROVE" });
  await settle(sandbox, server);
  say(`carol approves #${uat.number} → stagecoach/approval: ${await approval(uat.headSha)}; autoMerge → merged by ${sandbox.pullRequest("acme", "gitops", uat.number)?.mergedBy}`);
  say(`    uat promotion ${promotions.filter((p) => p.id.includes("/uat/")).at(-1)?.phase}; ${await describeDeployment("uat")}`);

  say(`alice comments "/promote prod" → ${(await ask("alice", "/promote prod")).split("\n")[0]}`);
  say(`carol comments "/promote prod" → ${(await ask("carol", "/promote prod")).split("\n")[0]}`);
  const prod = newestPromotionPull("prod");
  if (!prod) throw new Error(`no prod pull request was opened: ${promotions.at(-1)?.message ?? "the promotion did not run"}`);
  say(`pull request #${prod.number} "${prod.title}" opened with labels ${prod.labels?.join(", ")}; stagecoach/approval: ${await approval(prod.headSha)}`);
  await sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: prod.number, by: "alice", event: "APPROVE" });
  await settle(sandbox, server);
  say(`alice approves #${prod.number} → stagecoach/approval: ${await approval(prod.headSha)}; prod has no autoMerge, so carol merges`);
  await sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: prod.number, by: "carol" });
  await settle(sandbox, server);
  say(`    prod promotion ${promotions.filter((p) => p.id.includes("/prod/")).at(-1)?.phase}; ${await describeDeployment("prod")}`);
  say(`main now runs ${freight.alias} everywhere: ${(await Promise.all(["dev", "uat", "prod"].map(async (env) => `${env} ${(await sandbox.readFile("acme", "gitops", "main", `env/${env}/kustomization.yaml`))?.match(/newTag: (.*)/)?.[1]}`))).join(", ")}`);

  say(`${sandbox.deliveries().length} signed webhook deliveries, all answered: ${sandbox.deliveries().every((d) => d.status === 202)}`);
  await server.close();
  await registry.close();
  await sandbox.close();
  say("done");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
