import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import { promotionCheckName } from "../../src/github/promotion-checkpoints.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { VerificationResult } from "../../src/jobs/verification/judge-pending-verification.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const CONFIG = `project: guestbook
repoURL: https://github.com/acme/gitops
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ghcr.io/acme/app, constraint: ^1.0.0 }
stages:
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
  - name: uat
    from: dev
    autoPromote: true
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
`;
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/**
 * DESIGN decision 2: GitHub is the system of record, Redis only a cache. A promotion started by one
 * App process waits on its pull request; that process goes away and a second one starts on an empty
 * Redis (another key prefix: nothing of the first is there). The merge still finishes the
 * promotion, records the deployment, verifies the stage and moves the freight on.
 */
describe("end to end: a waiting promotion survives its worker and a Redis flush", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let first: RunningServer | undefined;
  let second: RunningServer | undefined;
  let octokit: Octokit;
  const states: PromotionState[] = [];
  const verified: VerificationResult[] = [];
  const captured = captureLog();
  const waitFor = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300)).join(" | ")}`);
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    first = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state) });
    const files: Record<string, string> = { ".github/stagecoach.yml": CONFIG };
    for (const env of ["dev", "uat"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    t.sandbox.createUser("alice");
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files, message: "pipeline", author: "acme" });
    await waitFor("the config to be adopted", async () => {
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      return (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed");
    });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await t?.close();
  });

  it("finishes the promotion on a fresh process with an empty Redis, from the checkpoint on the pull request", async () => {
    const { freight } = await recordFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.1.0" }], createdAt: new Date().toISOString() });
    const { createdAt: _c, commit: _k, ...reference } = freight;
    await first!.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, owner: "acme", repo: "gitops", stage: "dev", freight: reference, actor: "alice" });
    const waiting = await waitFor("the dev promotion to wait for its pull request", () => states.find((s) => s.phase === "Running" && s.id.includes("/dev/")));
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/dev/"))!;
    const checkpoint = await waitFor("the checkpoint", async () => (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: pull.headSha, check_name: promotionCheckName("dev") })).data.check_runs[0]);
    expect(checkpoint).toMatchObject({ status: "completed", conclusion: "success", external_id: waiting.id });

    // The first process goes away with everything it kept; the second shares nothing with it but GitHub.
    await first!.close();
    first = undefined;
    second = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state), onVerified: (result) => verified.push(result) });
    await t.sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "alice" });

    const done = await waitFor("the dev promotion to succeed on the second process", () => states.find((s) => s.phase === "Succeeded" && s.id === waiting.id));
    expect(done.steps.map((s) => s.phase)).toEqual(waiting.steps.map(() => "Succeeded"));
    // No second commit, no second pull request: the steps before the merge were not run again.
    expect([...t.sandbox.context.store.pulls.values()].filter((p) => p.head.includes("/dev/"))).toHaveLength(1);
    expect(captured.lines.some((l) => String(l.msg).startsWith(`rebuilt promotion ${waiting.id} from its checkpoint`))).toBe(true);
    const { data: deployments } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "dev" });
    expect(deployments.map((d) => (d.payload as { promotion?: string }).promotion)).toEqual([waiting.id]);
    expect((await waitFor("dev to be verified", () => verified.find((v) => v.stage === "dev"))).outcome).toBe("passed");
    // Verified in dev (a check run on the freight record), so uat auto-promotes it — decided from GitHub alone.
    await waitFor("uat to start", () => states.find((s) => s.id.includes("/uat/")));
  });

  it("finishes, at start, a promotion whose merge happened while no App was listening", async () => {
    const { freight } = await recordFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.2.0" }], createdAt: new Date().toISOString() });
    const { createdAt: _c, commit: _k, ...reference } = freight;
    await second!.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, owner: "acme", repo: "gitops", stage: "dev", freight: reference, actor: "alice" });
    const id = `guestbook/dev/${freight.name.slice(0, 12)}`;
    await waitFor("the promotion of 1.2.0 to wait for its pull request", () => states.find((s) => s.phase === "Running" && s.id === id));
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.endsWith(freight.name.slice(0, 12)))!;
    await waitFor("its checkpoint", async () => (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: pull.headSha, check_name: promotionCheckName("dev") })).data.check_runs[0]);
    await second!.close();
    second = undefined;
    // Merged while nothing answers: the pull_request.closed delivery is lost.
    await t.sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "alice" });
    await t.sandbox.waitForIdle();
    expect(t.sandbox.deliveries().filter((d) => d.event === "pull_request" && d.action === "closed").at(-1)?.status).not.toBe(202);

    const third = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state) });
    try {
      await waitFor("the promotion to be finished by the App that starts next", () => states.find((s) => s.phase === "Succeeded" && s.id === id));
      const { data: deployments } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "dev", per_page: 1 });
      expect((deployments[0]?.payload as { promotion?: string }).promotion).toBe(id);
    } finally {
      await third.close();
    }
  });
});
