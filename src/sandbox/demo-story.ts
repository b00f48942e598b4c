import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { listFreight } from "../github/freight-records.js";
import { createLogger } from "../log.js";
import type { PromotionState } from "../promotion/index.js";
import type { VerificationResult } from "../jobs/verification/judge-pending-verification.js";
import { startServer, WEBHOOK_PATH } from "../server.js";
import { MAX_WEBHOOK_BYTES } from "../settings.js";
import { REGISTRY_WEBHOOKS_PATH } from "../web/registry-webhooks.js";
import { startFakeArgoCd } from "./argocd/start-fake-argocd.js";
import { demoApplication, demoConfig, demoRepositoryFiles, DEMO_STAGES } from "./demo-repository.js";
import { startGitHubSandbox } from "./github/index.js";

/** The container registry the story pushes to: the demo's own small one, or a real CNCF Distribution in the tests. */
export interface DemoRegistry {
  /** `127.0.0.1:<port>`: image references start with it. */
  host: string;
  pushImage(name: string, tag: string, options?: { created?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface DemoStoryOptions {
  /** Prints one line of the timeline. */
  say(text: string): void;
  /** Starts the registry once the App's receiver is known, so its push notifications reach the App. */
  startRegistry(notify: { url: string; headers: Record<string, string> }): Promise<DemoRegistry>;
  /** BullMQ on this Redis instead of the embedded in-memory queue. */
  redisUrl?: string;
  logLevel?: string;
}

/** Waits for something the App does in the background (its jobs, its polls); fails the demo with `what` if it never happens. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the demo waited ${ms / 1000} s for ${what}, and it did not happen`);
}

/**
 * The whole promotion story, with the real App code against the bundled GitHub sandbox and a fake
 * Argo CD: what `npm run demo` prints, and what an end-to-end test plays on a real registry and Redis.
 */
export async function playDemoStory(options: DemoStoryOptions): Promise<void> {
  const { say } = options;
  say("starting the GitHub sandbox (real git repositories behind GitHub's REST API), a container registry and a fake Argo CD");
  const sandbox = await startGitHubSandbox();
  const argocd = await startFakeArgoCd({ syncDelayMs: 300 });
  for (const env of DEMO_STAGES) argocd.addApplication(demoApplication(env));
  // What dev's verification asks: the environment's health endpoint.
  const health = createServer((_request, response) => response.end("ok\n"));
  await new Promise<void>((resolve) => health.listen(0, "127.0.0.1", resolve));
  const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
  const receiverSecret = randomBytes(16).toString("hex");
  const app = sandbox.registerApp({ name: "Stagecoach" });
  const promotions: PromotionState[] = [];
  const verifications: VerificationResult[] = [];
  const server = await startServer({
    settings: {
      appId: app.id,
      privateKey: app.privateKey,
      webhookSecret: app.webhookSecret,
      githubApiUrl: sandbox.url,
      port: 0,
      host: "127.0.0.1",
      logLevel: options.logLevel ?? "warn",
      maxWebhookBytes: MAX_WEBHOOK_BYTES,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      // Everything runs on loopback, which discovery, probes and the http step refuse unless told otherwise.
      discoveryNetwork: { allowedPrivateHosts: ["127.0.0.1"] },
      promotionNetwork: { allowedPrivateHosts: ["127.0.0.1"] },
      registryWebhookSecrets: { distribution: receiverSecret },
      argocd: { server: argocd.url, token: argocd.token, insecureSkipTLSVerify: false, timeoutMs: 5_000 },
      // The sandbox is local: no need to space writes a second apart as on github.com, or to look at Argo CD only every 5 s.
      throttleGitHubWrites: false,
      pollMs: 200,
    },
    log: createLogger({ level: options.logLevel ?? "warn" }),
    ...(options.redisUrl ? { queuePrefix: `demo-${randomBytes(6).toString("hex")}` } : {}),
    onPromotion: (state) => promotions.push(state),
    onVerified: (result) => verifications.push(result),
  });
  say(`Stagecoach is listening on ${server.url} (queue: ${server.queue.driver}${options.redisUrl ? "" : ", no REDIS_URL"}); Argo CD is at ${argocd.url}`);
  sandbox.setWebhookUrl(app.id, `${server.url}${WEBHOOK_PATH}`);
  const registry = await options.startRegistry({ url: `${server.url}${REGISTRY_WEBHOOKS_PATH}/distribution`, headers: { Authorization: `Bearer ${receiverSecret}` } });
  const image = `${registry.host}/acme/app`;
  await registry.pushImage("acme/app", "latest", { created: "2026-11-01T09:00:00Z" });
  await sandbox.waitForIdle();

  sandbox.createOrg("acme");
  for (const login of ["alice", "bob", "carol"]) sandbox.createUser(login);
  await sandbox.createRepo("acme", "gitops", { files: demoRepositoryFiles(image) });
  sandbox.setPermission("acme", "gitops", "alice", "write");
  sandbox.setPermission("acme", "gitops", "carol", "write");
  sandbox.setPermission("acme", "gitops", "bob", "read");
  sandbox.setWorkflowOutcome("acme", "gitops", "smoke.yml", "success");
  const installationId = await sandbox.installApp(app.id, "acme", ["gitops"]);
  say(`acme/gitops: env/dev, env/uat, env/prod run ${image}:1.0.0; Argo CD syncs each from main; the App is installed (installation ${installationId})`);
  const octokit = await server.probot.auth(installationId);
  const repo = { owner: "acme", repo: "gitops" };

  const configCheck = (sha: string) =>
    until(`the config check of ${sha.slice(0, 7)}`, async () => (await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed"));
  const goodSha = await sandbox.pushCommit({ ...repo, branch: "main", files: { ".github/stagecoach.yml": demoConfig(image, healthUrl) }, message: "Add the Stagecoach pipeline", author: "alice" });
  const good = await configCheck(goodSha);
  say(`alice pushes .github/stagecoach.yml → check run stagecoach/config: ${good.conclusion} — ${good.output.summary}`);
  const brokenSha = await sandbox.pushCommit({ ...repo, branch: "main", files: { ".github/stagecoach.yml": demoConfig(image, healthUrl).replace("    from: dev\n", "    from: devv\n") }, message: "Typo in uat", author: "alice" });
  const failed = await configCheck(brokenSha);
  const { data: annotations } = await octokit.rest.checks.listAnnotations({ ...repo, check_run_id: failed.id });
  say(`alice pushes a typo → stagecoach/config: ${failed.conclusion}, annotated ${annotations.map((a) => `${a.path}:${a.start_line}:${a.start_column ?? 1}`).join(", ")}: ${annotations[0]?.message}`);
  say(`    ${failed.output.summary?.split("\n")[0]}`);
  const fixedSha = await sandbox.pushCommit({ ...repo, branch: "main", files: { ".github/stagecoach.yml": demoConfig(image, healthUrl) }, message: "Fix the typo", author: "alice" });
  say(`alice fixes it → stagecoach/config: ${(await configCheck(fixedSha)).conclusion}`);

  sandbox.resetStats();
  const digest = await registry.pushImage("acme/app", "1.1.0", { created: "2026-11-22T09:00:00Z" });
  say(`CI pushes ${image}:1.1.0 (${digest.slice(0, 19)}…); the registry's push notification reaches Stagecoach`);
  const freight = await until("freight for 1.1.0", async () => (await listFreight(octokit, repo, "guestbook")).find((f) => f.images?.[0]?.tag === "1.1.0"));
  const alias = freight.alias;
  say(`freight ${alias} (${freight.name.slice(0, 7)}) recorded as commit ${freight.commit?.slice(0, 7)} on refs/stagecoach/freight/guestbook`);

  const pullFor = (stage: string) => [...sandbox.context.store.pulls.values()].filter((p) => p.head.includes(`/${stage}/`)).at(-1);
  const approval = async (sha: string) => {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha });
    const status = data.statuses.find((s) => s.context === "stagecoach/approval");
    return status ? `${status.state} (${status.description})` : "none";
  };
  const opened = async (stage: string) => {
    const pull = await until(`the ${stage} pull request`, () => pullFor(stage));
    await until(`the ${stage} promotion to wait for its pull request`, () => promotions.find((p) => p.id.includes(`/${stage}/`) && p.phase === "Running"));
    await until(`the approval status of #${pull.number}`, async () => (await approval(pull.headSha)) !== "none");
    return pull;
  };
  const landed = async (stage: string) => {
    const done = await until(`the ${stage} promotion to finish`, () => promotions.find((p) => p.id.includes(`/${stage}/`) && ["Succeeded", "Failed", "Errored", "Aborted"].includes(p.phase)));
    const synced = done.steps.find((s) => s.uses === "argocd-wait");
    const apps = (synced?.outputs?.apps as Array<{ message: string }> | undefined) ?? [];
    const verified = await until(`${stage} to be verified`, () => verifications.find((v) => v.stage === stage));
    const { data: deployments } = await octokit.rest.repos.listDeployments({ ...repo, environment: stage, per_page: 1 });
    say(`    promotion ${done.phase}; Argo CD: ${apps.map((a) => a.message).join(", ")}; GitHub deployment to ${stage} at ${deployments[0]?.sha.slice(0, 7)}`);
    say(`    verification ${verified.outcome}: ${verified.lines.join("; ").replaceAll("- ", "")} → check run stagecoach/verify ${stage} on the freight; the deployment turns ${verified.outcome === "passed" ? "success" : "failure"}`);
  };

  const dev = await opened("dev");
  const labels = sandbox.pullRequest("acme", "gitops", dev.number)?.labels ?? [];
  say(`dev auto-promotes it: pull request #${dev.number} "${dev.title}" (labels ${labels.join(", ")}), env/dev ${(await sandbox.readFile("acme", "gitops", dev.head, "env/dev/kustomization.yaml"))?.match(/newTag: .*/)?.[0]}; stagecoach/approval: ${await approval(dev.headSha)}`);
  const calls = Object.entries(sandbox.stats()).filter(([k]) => /git\/(trees|commits|refs)|branches\/|contents/.test(k));
  say(`    the image push, the freight record and the pull request's change took ${Object.values(sandbox.stats()).reduce((n, v) => n + v.calls, 0)} GitHub calls in all, ${calls.reduce((n, [, v]) => n + v.calls, 0)} of them reading and writing files (${calls.map(([k, v]) => `${k.replace("/repos/{owner}/{repo}", "")}×${v.calls}`).join(", ")}); the promotion now waits for the merge, no worker blocked`);
  await sandbox.reviewPullRequest({ ...repo, number: dev.number, by: "carol", event: "APPROVE" });
  await until("the dev pull request to be merged", () => sandbox.pullRequest("acme", "gitops", dev.number)?.merged);
  say(`carol approves #${dev.number} → stagecoach/approval: ${await approval(dev.headSha)}; autoMerge → merged by ${sandbox.pullRequest("acme", "gitops", dev.number)?.mergedBy}`);
  await landed("dev");

  const { data: issue } = await octokit.rest.issues.create({ ...repo, title: `Release ${alias}` });
  const ask = async (author: string, body: string) => {
    const before = (await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number, per_page: 100 })).data.length;
    sandbox.comment({ ...repo, number: issue.number, body, author });
    return until(`an answer to ${author}'s "${body}"`, async () => {
      const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number, per_page: 100 });
      return data.length >= before + 2 ? (data.at(-1)?.body ?? "") : undefined;
    });
  };
  say(`issue #${issue.number} "${issue.title}": alice comments "/promote uat" → ${(await ask("alice", "/promote uat")).split("\n")[0]}`);
  const uat = await opened("uat");
  const uatMerged = await until("the uat merge", () => (sandbox.pullRequest("acme", "gitops", uat.number)?.merged ? sandbox.pullRequest("acme", "gitops", uat.number) : undefined));
  say(`pull request #${uat.number} "${uat.title}" needs no approval; autoMerge → merged by ${uatMerged.mergedBy}`);
  await landed("uat");

  say(`bob (read access) comments "/promote prod" → ${(await ask("bob", "/promote prod")).split("\n")[0]}`);
  say(`alice comments "/promote prod" → ${(await ask("alice", "/promote prod")).split("\n")[0]}`);
  say(`carol comments "/promote prod" → ${(await ask("carol", "/promote prod")).split("\n")[0]}`);
  const prod = await opened("prod");
  say(`pull request #${prod.number} "${prod.title}" (labels ${sandbox.pullRequest("acme", "gitops", prod.number)?.labels?.join(", ")}); stagecoach/approval: ${await approval(prod.headSha)}`);
  await sandbox.reviewPullRequest({ ...repo, number: prod.number, by: "alice", event: "APPROVE" });
  await until("the prod approval", async () => (await approval(prod.headSha)).startsWith("success"));
  say(`alice approves #${prod.number} → stagecoach/approval: ${await approval(prod.headSha)}; prod has no autoMerge, so carol merges`);
  await sandbox.mergePullRequest({ ...repo, number: prod.number, by: "carol" });
  await landed("prod");

  const dashboard = await until("the dashboard issue", async () => {
    const { data } = await octokit.rest.issues.listForRepo({ ...repo, labels: "stagecoach:dashboard" });
    return data[0]?.body?.includes(`Running: **${alias}**`) && !data[0].body.includes("Running: nothing yet") ? data[0] : undefined;
  });
  say(`dashboard issue #${dashboard.number} "${dashboard.title}" shows ${alias} running in ${DEMO_STAGES.join(", ")}`);
  say(`main now runs ${alias} everywhere: ${(await Promise.all(DEMO_STAGES.map(async (env) => `${env} ${(await sandbox.readFile("acme", "gitops", "main", `env/${env}/kustomization.yaml`))?.match(/newTag: (.*)/)?.[1]}`))).join(", ")}`);
  say(`${sandbox.deliveries().length} signed webhook deliveries, all answered: ${sandbox.deliveries().every((d) => d.status === 202)}`);
  await server.close();
  await Promise.all([registry.close(), argocd.close(), new Promise((resolve) => health.close(resolve))]);
  await sandbox.close();
  say("done");
}
