/**
 * A one-file yaml-update promotion on a generated 5,000-file GitOps repo served by the GitHub
 * sandbox, two ways in the same run: through the Git Data API (Stagecoach's workspace) and with
 * `git clone --depth 1` + commit + push over the sandbox's git HTTP endpoint. Every byte goes
 * through a counting proxy on loopback, so both paths are measured the same way.
 * Prints medians; asserts nothing. Run: node --import tsx bench/promotion-api-vs-clone.ts
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, connect, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { Octokit } from "@octokit/rest";
import { pino } from "pino";
import { systemClock } from "../src/clock.js";
import { updateYamlText } from "../src/promotion/edits/update-yaml-text.js";
import { runPromotion } from "../src/promotion/run-promotion.js";
import { createMemoryStateStore } from "../src/promotion/state-store.js";
import { createGitHubApiWorkspaceFactory } from "../src/promotion/workspace/github-api-workspace.js";
import { startGitHubSandbox } from "../src/sandbox/github/index.js";
import { appJwt } from "../test/support/sandbox.js";

const run = promisify(execFile);
const ROUNDS = 5;
const APPS = 250;
const ENVS = ["dev", "qa", "staging", "prod"];
const TARGET = "apps/app-042/prod/values.yaml";

/** 250 apps × 4 environments × 5 files: values, kustomization, deployment, service, configmap. */
function generateRepo(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let a = 0; a < APPS; a++) {
    const app = `app-${String(a).padStart(3, "0")}`;
    for (const env of ENVS) {
      const dir = `apps/${app}/${env}`;
      files[`${dir}/values.yaml`] = `# ${app} in ${env}\nimage:\n  repository: ghcr.io/acme/${app}\n  tag: "1.0.${a}"  # bumped by Stagecoach\nreplicas: ${1 + (a % 5)}\nresources:\n  limits: {cpu: ${100 + a}m, memory: ${128 + a}Mi}\n`;
      files[`${dir}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${app}-${env}\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\nimages:\n  - name: ghcr.io/acme/${app}\n    newTag: 1.0.${a}\n`;
      files[`${dir}/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  labels: {app: ${app}, env: ${env}}\nspec:\n  replicas: ${1 + (a % 5)}\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}, env: ${env}}\n    spec:\n      containers:\n        - name: ${app}\n          image: ghcr.io/acme/${app}:1.0.${a}\n          ports: [{containerPort: ${8000 + a}}]\n          envFrom: [{configMapRef: {name: ${app}-config}}]\n`;
      files[`${dir}/service.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector: {app: ${app}}\n  ports:\n    - port: 80\n      targetPort: ${8000 + a}\n`;
      files[`${dir}/configmap.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-config\ndata:\n  LOG_LEVEL: ${env === "prod" ? "info" : "debug"}\n  FEATURE_FLAGS: "${a % 2 ? "checkout,search" : "search"}"\n  UPSTREAM: http://${app}-upstream.${env}.svc.cluster.local:${9000 + a}\n`;
    }
  }
  return files;
}

/** A TCP proxy that counts bytes in both directions. */
async function startCountingProxy(targetPort: number): Promise<{ server: Server; port: number; bytes(): number; reset(): void }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    client.on("data", (chunk: Buffer) => (bytes += chunk.length));
    upstream.on("data", (chunk: Buffer) => (bytes += chunk.length));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, bytes: () => bytes, reset: () => (bytes = 0) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const sandbox = await startGitHubSandbox();
const app = sandbox.registerApp({ name: "Stagecoach Bench" });
sandbox.createOrg("acme");
const files = generateRepo();
await sandbox.createRepo("acme", "gitops", { files });
const installation = await sandbox.installApp(app.id, "acme", ["gitops"]);
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const { data: token } = await new Octokit({ baseUrl: sandbox.url, auth: appJwt(app.id, app.privateKey), log: quiet }).rest.apps.createInstallationAccessToken({ installation_id: installation });
const proxy = await startCountingProxy(Number(new URL(sandbox.url).port));
const proxyHost = `127.0.0.1:${proxy.port}`;
const octokit = new Octokit({ baseUrl: `http://${proxyHost}`, auth: token.token, log: quiet });
const repoURL = `http://${proxyHost}/_git/acme/gitops.git`;
const log = pino({ level: "silent" });

const api = { calls: [] as number[], bytes: [] as number[], ms: [] as number[] };
const clone = { bytes: [] as number[], ms: [] as number[] };
let version = 0;

for (let round = 0; round < ROUNDS; round++) {
  version++;
  sandbox.resetStats();
  proxy.reset();
  const started = performance.now();
  const state = await runPromotion({
    request: {
      id: `bench/prod/${version}`,
      project: "bench",
      stage: "prod",
      freight: [{ name: `f${version}`, origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app-042", tag: `2.0.${version}` }] }],
      steps: [
        { uses: "git-clone", config: { repoURL, checkout: [{ branch: "main", path: "./src" }] } },
        { uses: "yaml-update", as: "update", config: { path: `./src/${TARGET}`, updates: [{ key: "image.tag", value: "${{ imageFrom('ghcr.io/acme/app-042').Tag }}" }] } },
        { uses: "git-commit", config: { path: "./src", message: "${{ outputs.update.commitMessage }}" } },
        { uses: "git-push", config: { path: "./src" } },
      ],
    },
    store: createMemoryStateStore(),
    workspaces: createGitHubApiWorkspaceFactory({ client: octokit, hosts: [proxyHost] }),
    services: { committer: { name: "Stagecoach", email: "stagecoach@example.com" } },
    clock: systemClock,
    log,
  });
  api.ms.push(performance.now() - started);
  if (state.phase !== "Succeeded") throw new Error(`API promotion ended ${state.phase}: ${state.message}`);
  api.calls.push(Object.values(sandbox.stats()).reduce((n, s) => n + s.calls, 0));
  api.bytes.push(proxy.bytes());

  version++;
  const dir = await mkdtemp(path.join(tmpdir(), "bench-clone-"));
  const authed = `http://x-access-token:${token.token}@${proxyHost}/_git/acme/gitops.git`;
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "b@x" };
  proxy.reset();
  const cloneStarted = performance.now();
  await run("git", ["clone", "-q", "--depth", "1", "--single-branch", "--branch", "main", authed, dir], { env });
  const target = path.join(dir, TARGET);
  await writeFile(target, updateYamlText(await readFile(target, "utf8"), [{ key: "image.tag", value: `2.0.${version}` }]));
  await run("git", ["-C", dir, "commit", "-q", "-am", `Updated ${TARGET}`], { env });
  await run("git", ["-C", dir, "push", "-q", "origin", "HEAD:main"], { env });
  clone.ms.push(performance.now() - cloneStarted);
  clone.bytes.push(proxy.bytes());
  await rm(dir, { recursive: true, force: true });
}

const apiBytes = median(api.bytes);
const cloneBytes = median(clone.bytes);
const apiMs = median(api.ms);
const cloneMs = median(clone.ms);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`One-file promotion on a ${Object.keys(files).length}-file repo, median of ${ROUNDS} rounds (loopback, sandbox)`);
console.log(`  API path (Git Data API):          ${median(api.calls)} API calls, ${kib(apiBytes)}, ${apiMs.toFixed(0)} ms`);
console.log(`  git clone --depth 1 + push (HTTP): ${kib(cloneBytes)}, ${cloneMs.toFixed(0)} ms`);
console.log(`  ratios: ${(cloneBytes / apiBytes).toFixed(1)}× fewer bytes, ${(cloneMs / apiMs).toFixed(1)}× faster through the API`);
console.log(`  goals:  ≤ 6 API calls ${median(api.calls) <= 6 ? "met" : "MISSED"}; ≥ 20× fewer bytes ${cloneBytes / apiBytes >= 20 ? "met" : "MISSED"}; ≥ 5× faster ${cloneMs / apiMs >= 5 ? "met" : "MISSED"}`);

proxy.server.close();
await sandbox.close();
