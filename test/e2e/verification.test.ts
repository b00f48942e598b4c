import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import type { FreightRecord } from "../../src/freight/types.js";
import { recordFreight } from "../../src/github/freight-records.js";
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
    github:
      autoMerge: true
      environment: development
      verify: { workflow: smoke.yml, checks: [ci/e2e] }
  - name: uat
    from: dev
    autoPromote: true
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
    github: { autoMerge: true }
`;
const SMOKE = `name: Smoke test
on:
  workflow_dispatch:
    inputs:
      stage: { required: true }
      freight: { required: true }
      commit: { required: true }
`;
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/** After the merge: the workflow and named checks decide, the result lands on GitHub, and verified freight moves on. */
describe("end to end: verification after a promotion", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  const states: PromotionState[] = [];
  const verified: VerificationResult[] = [];
  const captured = captureLog();
  // Freight recorded on GitHub as discovery records it: its check runs are where verification lands.
  const recorded = new Map<string, FreightRecord>();
  const record = async (tag: string) => {
    const { freight } = await recordFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook", {
      origin: { kind: "Warehouse", name: "app" },
      images: [{ repoURL: "ghcr.io/acme/app", tag, digest: "sha256:" + createHash("sha256").update(tag).digest("hex") }],
      createdAt: new Date().toISOString(),
    });
    recorded.set(tag, freight);
    return freight;
  };
  const freight = (tag: string) => recorded.get(tag)!;
  const waitFor = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    const problems = captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300));
    throw new Error(`timed out waiting for ${what}; log: ${problems.join(" | ")}`);
  };
  const succeeded = (stage: string, tag: string) => waitFor(`${stage} to run ${tag}`, () => states.find((s) => s.phase === "Succeeded" && s.id === `guestbook/${stage}/${freight(tag).name.slice(0, 12)}`));
  const verifyRuns = async (sha: string, stage: string) => (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: `stagecoach/verify ${stage}` })).data.check_runs;
  const mergeOf = (stage: string, tag: string) => [...t.sandbox.context.store.pulls.values()].find((p) => p.head === `stagecoach/promotion/guestbook/${stage}/${freight(tag).name.slice(0, 12)}`);

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state), onVerified: (result) => verified.push(result) });
    const files: Record<string, string> = { ".github/stagecoach.yml": CONFIG, ".github/workflows/smoke.yml": SMOKE };
    for (const env of ["dev", "uat"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files, message: "pipeline", author: "acme" });
    await waitFor("the config to be adopted", async () => {
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      return (await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed");
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const promoteDev = async (tag: string) => {
    const { createdAt: _createdAt, commit: _commit, ...reference } = await record(tag);
    await server.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, owner: "acme", repo: "gitops", stage: "dev", freight: reference });
  };

  it("waits for the workflow and the named check, then marks the freight verified and auto-promotes it to uat", async () => {
    await promoteDev("1.1.0");
    await succeeded("dev", "1.1.0");
    const sha = mergeOf("dev", "1.1.0")!.mergeCommitSha!;
    const [run] = await waitFor("the smoke workflow to be dispatched", () => t.sandbox.workflowRuns("acme", "gitops")[0] && t.sandbox.workflowRuns("acme", "gitops"));
    expect(run).toMatchObject({ event: "workflow_dispatch", status: "queued", inputs: { stage: "dev", freight: freight("1.1.0").name, commit: sha } });
    expect((await waitFor("the verify check run", async () => (await verifyRuns(sha, "dev"))[0])).status).toBe("in_progress");
    const { data: deployments } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "development" });
    expect(deployments.map((d) => d.sha)).toEqual([sha]);

    t.sandbox.completeWorkflowRun({ owner: "acme", repo: "gitops", runId: run!.id, conclusion: "success" });
    await t.sandbox.waitForIdle();
    // The workflow alone is not enough: ci/e2e has not reported yet.
    expect((await verifyRuns(sha, "dev"))[0]?.status).toBe("in_progress");
    await octokit.rest.repos.createCommitStatus({ owner: "acme", repo: "gitops", sha, state: "success", context: "ci/e2e" });

    const result = await waitFor("dev to be verified", () => verified.find((v) => v.stage === "dev"));
    expect(result.outcome).toBe("passed");
    const [check] = await verifyRuns(sha, "dev");
    expect([check?.status, check?.conclusion, check?.output.title]).toEqual(["completed", "success", `${freight("1.1.0").alias} is verified in dev`]);
    // The freight carries it too: "verified in dev" is a check run on its record.
    expect((await verifyRuns(freight("1.1.0").commit!, "dev")).map((r) => r.conclusion)).toEqual(["success"]);
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ owner: "acme", repo: "gitops", deployment_id: deployments[0]!.id });
    expect(statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
    await succeeded("uat", "1.1.0");
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/uat/kustomization.yaml")).toContain("newTag: 1.1.0");
  });

  it("fails verification when the workflow fails: the check run, the deployment and the pull request say so, and uat keeps its freight", async () => {
    await promoteDev("1.2.0");
    await succeeded("dev", "1.2.0");
    const pull = mergeOf("dev", "1.2.0")!;
    const run = await waitFor("the second smoke run", () => t.sandbox.workflowRuns("acme", "gitops").find((r) => r.inputs.freight === freight("1.2.0").name));
    t.sandbox.completeWorkflowRun({ owner: "acme", repo: "gitops", runId: run.id, conclusion: "failure" });
    const result = await waitFor("dev to fail verification", () => verified.find((v) => v.stage === "dev" && v.freight === freight("1.2.0").name));
    expect(result.outcome).toBe("failed");
    const [check] = await verifyRuns(pull.mergeCommitSha!, "dev");
    expect([check?.conclusion, check?.output.title]).toEqual(["failure", `${freight("1.2.0").alias} failed verification in dev`]);
    expect(check?.output.summary).toContain("workflow `smoke.yml`: failure");
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: pull.number });
    expect(comments.map((c) => c.body).join("\n")).toContain(`**${freight("1.2.0").alias} failed verification in dev**, so it does not move on from dev.`);
    const { data: deployments } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "development", sha: pull.mergeCommitSha! });
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ owner: "acme", repo: "gitops", deployment_id: deployments[0]!.id });
    expect(statuses[0]?.state).toBe("failure");
    await t.sandbox.waitForIdle();
    expect(states.some((s) => s.id === `guestbook/uat/${freight("1.2.0").name.slice(0, 12)}`)).toBe(false);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/uat/kustomization.yaml")).toContain("newTag: 1.1.0");
  });
});
