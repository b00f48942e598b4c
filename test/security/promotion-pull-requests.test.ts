import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import type { ApprovalCount } from "../../src/pipeline/count-approvals.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { guestbookConfig, guestbookFiles, imageFreight, pushAndAdoptConfig, waiter } from "../support/e2e.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

/**
 * The App merges pull requests on a production repository: nobody may merge through it. dev
 * merges on its own (autoMerge, no approval needed), so anything the App took for a promotion
 * there would be merged at once; uat needs one approval.
 */
const CONFIG = guestbookConfig(`
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github: { autoMerge: true, promoters: [carol] }
  - name: uat
    from: app
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
    github: { autoMerge: true, requiredApprovals: 1 }
`);
const repo = { owner: "acme", repo: "gitops" };

describe("security: only the App's own promotion pull requests are approved, merged or resumed", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  let installationId: number;
  const captured = captureLog();
  const states: PromotionState[] = [];
  const evaluations: Array<{ pullNumber: number; count: ApprovalCount; merged: boolean }> = [];
  let wait: ReturnType<typeof waiter>;

  const approvalStatus = async (sha: string) => (await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha })).data.statuses.find((s) => s.context === "stagecoach/approval");
  /** Lets every delivery and every job it caused settle: the App has had every chance to act. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await t.sandbox.waitForIdle();
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    wait = waiter(t, captured);
    server = await startAppOnSandbox(t, {
      log: captured.log,
      onPromotion: (state) => states.push(state),
      onApprovalEvaluated: (data, count, merged) => evaluations.push({ pullNumber: data.pullNumber, count, merged }),
    });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    for (const login of ["mallory", "carol", "quinn"]) {
      t.sandbox.createUser(login);
      t.sandbox.setPermission("acme", "gitops", login, "write");
    }
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    await pushAndAdoptConfig(t, octokit, guestbookFiles(CONFIG, ["dev", "uat"]), wait);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("ignores a person's pull request from a branch named like a promotion: no approval status, no merge", async () => {
    const branch = "stagecoach/promotion/guestbook/dev/0123456789ab";
    await t.sandbox.pushCommit({ ...repo, branch, files: { "env/dev/deployment.yaml": "kind: Deployment # mallory's change\n" }, message: "innocent", author: "mallory" });
    const number = await t.sandbox.openPullRequest({ ...repo, head: branch, base: "main", title: "Promote to dev", body: "trust me", author: "mallory" });
    await settle();
    const pull = t.sandbox.pullRequest("acme", "gitops", number)!;
    expect(pull).toMatchObject({ state: "open", merged: false });
    expect(await approvalStatus(pull.headSha)).toBeUndefined();
    expect(evaluations.filter((e) => e.pullNumber === number)).toEqual([]);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/deployment.yaml")).toBe("kind: Deployment\n");
  });

  it("ignores a person's pull request that carries a copy of a real promotion's signed metadata block", async () => {
    await server.queue.enqueue("promote", { installationId, ...repo, stage: "uat", freight: imageFreight("1.1.0") });
    const real = await wait("the App's uat pull request", () => [...t.sandbox.context.store.pulls.values()].find((p) => p.head.startsWith("stagecoach/promotion/guestbook/uat/") && p.user !== "mallory"));
    await wait("its first evaluation", () => evaluations.find((e) => e.pullNumber === real.number));
    const branch = `${real.head}-copy`;
    await t.sandbox.pushCommit({ ...repo, branch, files: { "env/dev/deployment.yaml": "kind: Deployment # copied block\n" }, message: "copy", author: "mallory" });
    const number = await t.sandbox.openPullRequest({ ...repo, head: branch, base: "main", title: real.title, body: real.body ?? "", author: "mallory" });
    await t.sandbox.reviewPullRequest({ ...repo, number, by: "quinn", event: "APPROVE" });
    await settle();
    expect(t.sandbox.pullRequest("acme", "gitops", number)).toMatchObject({ state: "open", merged: false });
    expect(await approvalStatus(t.sandbox.pullRequest("acme", "gitops", number)!.headSha)).toBeUndefined();
    expect(captured.messages().some((m) => m.includes(`#${number} was opened by mallory, not by the App`))).toBe(true);
  });

  it("never approves or merges a promotion branch someone else pushed to: the status says so and the merge waits", async () => {
    const real = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.startsWith("stagecoach/promotion/guestbook/uat/") && p.user !== "mallory")!;
    await t.sandbox.pushCommit({ ...repo, branch: real.head, files: { "env/prod-secrets.yaml": "stolen: true\n" }, message: "one more thing", author: "mallory" });
    await t.sandbox.reviewPullRequest({ ...repo, number: real.number, by: "quinn", event: "APPROVE" });
    const moved = t.sandbox.pullRequest("acme", "gitops", real.number)!;
    const status = await wait("the approval status on the new head", () => approvalStatus(moved.headSha));
    await settle();
    expect(status).toMatchObject({ state: "failure", description: "This branch has commits Stagecoach did not push: close it and promote again" });
    expect(t.sandbox.pullRequest("acme", "gitops", real.number)).toMatchObject({ state: "open", merged: false });
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/prod-secrets.yaml")).toBeUndefined();
  });

  it("does not resume or recover anything when a look-alike pull request is merged by a person", async () => {
    const branch = "stagecoach/promotion/guestbook/dev/ba5eba11c0de";
    await t.sandbox.pushCommit({ ...repo, branch, files: { "env/dev/extra.yaml": "kind: ConfigMap\n" }, message: "look-alike", author: "mallory" });
    const number = await t.sandbox.openPullRequest({ ...repo, head: branch, base: "main", title: "look-alike", body: "", author: "mallory" });
    const before = states.length;
    await t.sandbox.mergePullRequest({ ...repo, number, by: "mallory" });
    await settle();
    expect(states.slice(before).filter((s) => s.id.includes("ba5eba11c0de"))).toEqual([]);
    const { data: deployments } = await octokit.rest.repos.listDeployments({ ...repo, environment: "dev" });
    expect(deployments).toEqual([]);
  });
});
