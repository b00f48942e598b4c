import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import type { PromotionState } from "../../src/promotion/index.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../src/sandbox/argocd/start-fake-argocd.js";
import type { RunningServer } from "../../src/server.js";
import { gitApp } from "../argocd/support/applications.js";
import { contractViolations } from "../argocd/support/argocd-contract.js";
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
  - name: prod
    from: app
    kustomize: { path: env/prod, image: ghcr.io/acme/app }
    argocd: guestbook-prod
    github: { autoMerge: true }
  - name: qa
    from: app
    kustomize: { path: env/qa, image: ghcr.io/acme/app }
    argocd: guestbook-qa
    github: { autoMerge: true }
  - name: staging
    from: app
    kustomize: { path: env/staging, image: ghcr.io/acme/app }
    argocd: guestbook-staging
    github: { autoMerge: true }
  - name: canary
    from: staging
    autoPromote: true
    kustomize: { path: env/canary, image: ghcr.io/acme/app }
    github: { autoMerge: true }
`;
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/** Merging is what Argo CD syncs: the App points the stage's Application at the merge commit, with ARGOCD_SERVER/ARGOCD_TOKEN from its settings. */
describe("end to end: promotions that sync Argo CD", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let argocd: FakeArgoCd;
  let octokit: Octokit;
  const states: PromotionState[] = [];
  const captured = captureLog();
  const freight = (tag: string) => ({ name: createHash("sha1").update(tag).digest("hex"), alias: `freight-${tag.replaceAll(".", "-")}`, origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag }] });
  const finished = async (stage: string) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = states.find((s) => s.id.startsWith(`guestbook/${stage}/`) && ["Succeeded", "Failed", "Errored"].includes(s.phase));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the ${stage} promotion did not finish: ${states.map((s) => `${s.id}:${s.phase}`).join(", ")}`);
  };

  beforeAll(async () => {
    argocd = await startFakeArgoCd({ syncDelayMs: 200 });
    argocd.addApplication(gitApp("guestbook-prod", { annotations: { "kargo.akuity.io/authorized-stage": "guestbook:prod" } }));
    argocd.addApplication(gitApp("guestbook-qa"));
    argocd.addApplication(gitApp("guestbook-staging", { annotations: { "kargo.akuity.io/authorized-stage": "guestbook:staging" } }), { phase: "Succeeded", health: "Degraded", message: "Deployment guestbook: 0/3 replicas available (CrashLoopBackOff)" });
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state), settings: { argocd: { server: argocd.url, token: argocd.token }, pollMs: 200 } });
    const files: Record<string, string> = { ".github/stagecoach.yml": CONFIG };
    for (const env of ["prod", "qa", "staging", "canary"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files, message: "pipeline", author: "acme" });
    const deadline = Date.now() + 30_000;
    for (;;) {
      await t.sandbox.waitForIdle();
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
      if (data.check_runs.some((r) => r.status === "completed") || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
    expect(contractViolations(argocd.requests())).toEqual([]);
    await argocd.close();
  });

  const promote = (stage: string, tag: string, reference: object = freight(tag)) =>
    server.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, owner: "acme", repo: "gitops", stage, freight: reference });

  it("points the authorised Application at the merge commit and syncs it once the pull request merges", async () => {
    await promote("prod", "1.1.0");
    const state = await finished("prod");
    expect(state.phase).toBe("Succeeded");
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/prod/"))!;
    expect(pull.merged).toBe(true);
    const app = argocd.getApplication("guestbook-prod")!;
    expect(app.status?.operationState?.syncResult?.revision ?? app.status?.sync?.revision).toBe(pull.mergeCommitSha);
    expect(argocd.requests().some((r) => r.method === "POST" && r.path.endsWith("/guestbook-prod/sync"))).toBe(true);
  });

  it("fails the promotion of a stage whose Application lacks the authorized-stage annotation, touches nothing in Argo CD, and says so on the pull request", async () => {
    const before = argocd.requests().filter((r) => r.path.includes("guestbook-qa") && r.method !== "GET").length;
    await promote("qa", "1.1.0");
    const state = await finished("qa");
    expect(state.phase).toBe("Failed");
    expect(state.message).toContain("kargo.akuity.io/authorized-stage");
    expect(argocd.requests().filter((r) => r.path.includes("guestbook-qa") && r.method !== "GET").length).toBe(before);
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/qa/"))!;
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: pull.number });
    const failure = comments.find((c) => c.body?.includes("is **Failed**"));
    expect(failure?.body).toContain("The promotion of **freight-1-1-0** to **qa** is **Failed** at step");
    expect(failure?.body).toContain("authorized-stage");
  });

  it("fails a stage whose Application comes up Degraded after the merge: the promotion, its deployment and its verification fail, the pull request says why, and the freight goes no further", async () => {
    const { freight: recorded } = await recordFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "2.0.0" }], createdAt: new Date().toISOString() });
    const { createdAt: _c, commit: _k, ...reference } = recorded;
    await promote("staging", "2.0.0", reference);
    const state = await finished("staging");
    expect(state.phase).toBe("Failed");
    expect(state.steps.find((s) => s.phase === "Failed")?.uses).toBe("argocd-wait");
    expect(state.message).toContain("Degraded");
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/staging/"))!;
    expect(pull.merged).toBe(true);
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: pull.number });
    expect(comments.map((c) => c.body).join("\n")).toContain(`The promotion of **${recorded.alias}** to **staging** is **Failed** at step`);
    // The stage runs it now (the merge landed), so the deployment records it — as a failure.
    const { data: deployments } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "staging" });
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ owner: "acme", repo: "gitops", deployment_id: deployments[0]!.id });
    expect(statuses.map((s) => s.state)).toEqual(["failure"]);
    // Not verified: the freight's own check run says so, and canary (auto-promoting from staging) never starts.
    const { data: onFreight } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: recorded.commit!, check_name: "stagecoach/verify staging" });
    expect(onFreight.check_runs.map((r) => [r.conclusion, r.output.title])).toEqual([["failure", `${recorded.alias} failed verification in staging`]]);
    expect(onFreight.check_runs[0]?.output.summary).toContain("CrashLoopBackOff");
    await t.sandbox.waitForIdle();
    await new Promise((r) => setTimeout(r, 500));
    expect(states.some((s) => s.id.startsWith("guestbook/canary/"))).toBe(false);
  });
});
