import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { ApprovalCount } from "../../src/pipeline/count-approvals.js";
import type { PromotionState } from "../../src/promotion/index.js";
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
    github: { autoMerge: true }
  - name: uat
    from: dev
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
    github: { requiredApprovals: 1, approvers: ["@acme/qa"], autoMerge: true }
  - name: prod
    from: uat
    kustomize: { path: env/prod, image: ghcr.io/acme/app }
    github: { requiredApprovals: 1 }
  - name: qa
    from: app
    kustomize: { path: env/qa, image: ghcr.io/acme/app }
    github: { requiredApprovals: 1, autoMerge: true }
`;
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/** Reviews are approvals: who counts, the stagecoach/approval status, and autoMerge doing the merge. */
describe("end to end: approval by review", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  const states: PromotionState[] = [];
  const evaluations: Array<{ pullNumber: number; count: ApprovalCount; merged: boolean }> = [];
  const captured = captureLog();
  const image = (tag: string) => ({ repoURL: "ghcr.io/acme/app", tag, digest: "sha256:" + createHash("sha256").update(tag).digest("hex") });
  const freight = (tag: string) => ({ name: createHash("sha1").update(tag).digest("hex"), alias: `freight-${tag.replaceAll(".", "-")}`, origin: { kind: "Warehouse", name: "app" }, images: [image(tag)] });

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
  const promote = async (stage: string, tag: string) => {
    await server.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, owner: "acme", repo: "gitops", stage, freight: freight(tag) });
    return waitFor(`the ${stage} pull request`, () =>
      [...t.sandbox.context.store.pulls.values()].find((p) => p.head.startsWith(`stagecoach/promotion/guestbook/${stage}/${freight(tag).name.slice(0, 12)}`)),
    );
  };
  const approvalStatus = async (sha: string) => {
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ owner: "acme", repo: "gitops", ref: sha });
    return data.statuses.find((s) => s.context === "stagecoach/approval");
  };
  const evaluationsOf = (pullNumber: number) => evaluations.filter((e) => e.pullNumber === pullNumber);

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, {
      log: captured.log,
      onPromotion: (state) => states.push(state),
      onApprovalEvaluated: (data, count, merged) => evaluations.push({ pullNumber: data.pullNumber, count, merged }),
    });
    t.sandbox.createOrg("acme");
    const files: Record<string, string> = { ".github/stagecoach.yml": CONFIG };
    for (const env of ["dev", "uat", "prod", "qa"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    for (const login of ["walt", "quinn", "rita"]) t.sandbox.createUser(login);
    t.sandbox.setPermission("acme", "gitops", "walt", "write");
    t.sandbox.setPermission("acme", "gitops", "rita", "read");
    t.sandbox.createTeam("acme", "qa", { members: ["quinn"], repos: { gitops: "write" } });
    await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files, message: "pipeline", author: "acme" });
    await waitFor("the config to be adopted", async () => {
      const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
      return data.check_runs.find((r) => r.status === "completed");
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("merges a stage's pull request at once when it needs no approval and has autoMerge, and the promotion succeeds", async () => {
    const pull = await promote("dev", "1.1.0");
    const finished = await waitFor("the dev promotion to succeed", () => states.find((s) => s.phase === "Succeeded" && s.id.includes("/dev/")));
    expect(finished.phase).toBe("Succeeded");
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)).toMatchObject({ merged: true, mergedBy: "stagecoach-test[bot]" });
    expect(await approvalStatus(pull.headSha)).toMatchObject({ state: "success", description: "0 of 0 approvals" });
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/kustomization.yaml")).toContain("newTag: 1.1.0");
    // What runs where: a GitHub Deployment of the merge commit to the dev environment.
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    const deployments = await waitFor("the dev deployment", async () => {
      const { data } = await octokit.rest.repos.listDeployments({ owner: "acme", repo: "gitops", environment: "dev" });
      return data.length > 0 ? data : undefined;
    });
    const merged = t.sandbox.pullRequest("acme", "gitops", pull.number)!;
    expect(deployments.map((d) => [d.sha, d.payload])).toEqual([[merged.mergeCommitSha, { project: "guestbook", stage: "dev", promotion: finished.id, freight: { name: freight("1.1.0").name, alias: "freight-1-1-0", warehouse: "app" } }]]);
    // In progress while verified; dev verifies nothing but the merge, so it turns success at once.
    const statuses = await waitFor("the deployment to be verified", async () => {
      const { data } = await octokit.rest.repos.listDeploymentStatuses({ owner: "acme", repo: "gitops", deployment_id: deployments[0]!.id });
      return data[0]?.state === "success" ? data : undefined;
    });
    expect(statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
  });

  it("counts only allowed reviewers: a writer outside @acme/qa leaves it pending, a qa member's approval merges it", async () => {
    const pull = await promote("uat", "1.1.0");
    await waitFor("a first evaluation", () => evaluationsOf(pull.number)[0]);
    expect(await approvalStatus(pull.headSha)).toMatchObject({ state: "pending", description: "0 of 1 approvals" });

    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "walt", event: "APPROVE" });
    await waitFor("walt's review to be counted", () => evaluationsOf(pull.number)[1]);
    expect(await approvalStatus(pull.headSha)).toMatchObject({ state: "pending", description: "0 of 1 approvals" });
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)?.merged).toBe(false);

    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "quinn", event: "APPROVE" });
    await waitFor("the uat promotion to succeed", () => states.find((s) => s.phase === "Succeeded" && s.id.includes("/uat/")));
    expect(await approvalStatus(pull.headSha)).toMatchObject({ state: "success", description: "1 of 1 approvals (quinn)" });
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)).toMatchObject({ merged: true, mergedBy: "stagecoach-test[bot]" });
  });

  it("blocks on changes requested, ignores a reader's approval, and leaves the merge to a person without autoMerge", async () => {
    const pull = await promote("prod", "1.1.0");
    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "walt", event: "REQUEST_CHANGES", body: "not on a Friday" });
    await waitFor("the changes requested to block", async () => ((await approvalStatus(pull.headSha))?.state === "failure" ? true : undefined));
    expect((await approvalStatus(pull.headSha))?.description).toBe("Changes requested by walt");

    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "rita", event: "APPROVE" });
    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "walt", event: "APPROVE" });
    await waitFor("walt's approval to count", async () => ((await approvalStatus(pull.headSha))?.state === "success" ? true : undefined));
    expect((await approvalStatus(pull.headSha))?.description).toBe("1 of 1 approvals (walt)");
    // No autoMerge: approved, and still open until a person merges it.
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)?.state).toBe("open");
    expect(evaluationsOf(pull.number).every((e) => !e.merged)).toBe(true);
  });

  it("aborts a promotion whose pull request a person closes, and says how to try again; a superseded one just says it was superseded", async () => {
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    const botComments = async (number: number) =>
      (await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: number })).data.filter((c) => c.user?.login.endsWith("[bot]")).map((c) => c.body ?? "");
    const older = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/prod/") && p.state === "open")!;
    const newer = await promote("prod", "1.2.0");
    await waitFor("the older prod promotion to end", () => states.find((s) => s.phase === "Aborted" && older.head.endsWith(s.id)));
    expect(t.sandbox.pullRequest("acme", "gitops", older.number)).toMatchObject({ state: "closed", merged: false, labels: expect.arrayContaining(["stagecoach:superseded"]) });
    const olderComments = await botComments(older.number);
    expect(olderComments).toHaveLength(1);
    expect(olderComments[0]).toContain("Superseded");

    const walt = t.userOctokit(t.sandbox.createUser("walt").token);
    await walt.rest.pulls.update({ owner: "acme", repo: "gitops", pull_number: newer.number, state: "closed" });
    const aborted = await waitFor("the newer prod promotion to be aborted", () => states.find((s) => s.phase === "Aborted" && newer.head.endsWith(s.id)));
    expect(aborted.message).toContain("closed without merging");
    const answer = await waitFor("the abort comment", async () => (await botComments(newer.number))[0]);
    expect(answer).toBe("This pull request was closed without merging, so the promotion of **freight-1-2-0** to **prod** is **Aborted**. To try again, comment `/promote prod freight-1-2-0`.");
  });

  it("/abort on a promotion pull request closes it and aborts its promotion; /abort <stage> with nothing open says so", async () => {
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    const botComments = async (number: number) =>
      (await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: number })).data.filter((c) => c.user?.login.endsWith("[bot]")).map((c) => c.body ?? "");
    const pull = await promote("uat", "1.3.0");
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: pull.number, body: "/abort", author: "walt" });
    await waitFor("the uat promotion to be aborted", () => states.find((s) => s.phase === "Aborted" && pull.head.endsWith(s.id)));
    const comments = await waitFor("both answers", async () => {
      const found = await botComments(pull.number);
      return found.length >= 2 ? found : undefined;
    });
    expect(comments).toContain(`@walt Aborting the promotion of **freight-1-3-0** to **uat**. (#${pull.number} closed)`);
    expect(comments.some((c) => c.includes("closed without merging"))).toBe(true);

    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: "Stop uat" });
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "/abort uat\n/abort", author: "walt" });
    const answer = await waitFor("the answer", async () => (await botComments(issue.number))[0]);
    expect(answer).toContain("Nothing to abort: no promotion to uat is waiting on an open pull request.");
    expect(answer).toContain("Say which stage: `/abort <stage>` (on a promotion pull request, the stage can be left out).");
  });

  it("with autoMerge, merges an approved pull request that branch protection held back as soon as the required check turns green", async () => {
    t.sandbox.protectBranch({ owner: "acme", repo: "gitops", branch: "main", requiredChecks: ["ci/e2e"] });
    const pull = await promote("qa", "1.3.0");
    await waitFor("a first evaluation", () => evaluationsOf(pull.number)[0]);
    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number: pull.number, by: "walt", event: "APPROVE" });
    // Approved, but GitHub refuses the merge: ci/e2e has not reported.
    const refused = await waitFor("the merge to be refused", () => captured.lines.find((l) => String(l.msg).startsWith(`approved promotion pull request #${pull.number} cannot be merged yet`)));
    expect(refused.msg).toContain('Required status check "ci/e2e" is expected.');
    expect((await approvalStatus(pull.headSha))?.state).toBe("success");
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)?.merged).toBe(false);
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    await octokit.rest.repos.createCommitStatus({ owner: "acme", repo: "gitops", sha: pull.headSha, state: "success", context: "ci/e2e" });
    await waitFor("the qa promotion to succeed", () => states.find((s) => s.phase === "Succeeded" && s.id.includes("/qa/")));
    expect(t.sandbox.pullRequest("acme", "gitops", pull.number)).toMatchObject({ merged: true, mergedBy: "stagecoach-test[bot]" });
  });
});
