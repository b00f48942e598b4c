import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";
import { collectDeliveries, type CollectedDeliveries } from "./collect-deliveries.js";

describe("GitHub sandbox: commit statuses, check suites, deployments", () => {
  let t: TestSandbox;
  let octokit: Octokit;
  let hooks: CollectedDeliveries;
  let sha: string;
  const repo = { owner: "acme", repo: "gitops" };

  beforeEach(async () => {
    hooks = await collectDeliveries();
    t = await startTestSandbox({ webhookUrl: hooks.url });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "hi\n" } });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
    sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
  });
  afterEach(async () => {
    await t.close();
    await hooks.close();
  });

  it("keeps the newest status per context and combines them the way GitHub does", async () => {
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "pending", context: "stagecoach/approval", description: "0 of 1 approvals" });
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "success", context: "ci" });
    let combined = (await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: "main" })).data;
    expect([combined.state, combined.total_count]).toEqual(["pending", 2]);
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "success", context: "stagecoach/approval", description: "x".repeat(200) });
    combined = (await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha })).data;
    expect(combined.state).toBe("success");
    expect(combined.statuses.find((s) => s.context === "stagecoach/approval")?.description).toHaveLength(140);
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "error", context: "ci" });
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: "main" })).data.state).toBe("failure");
    const { data: all } = await octokit.rest.repos.listCommitStatusesForRef({ ...repo, ref: "main" });
    expect(all.map((s) => `${s.context}:${s.state}`)).toEqual(["ci:error", "stagecoach/approval:success", "ci:success", "stagecoach/approval:pending"]);
    await expect(octokit.rest.repos.createCommitStatus({ ...repo, sha: "f".repeat(40), state: "success" })).rejects.toMatchObject({ status: 422 });
    await t.sandbox.waitForIdle();
    const status = hooks.find("status");
    expect(status).toMatchObject({ sha, context: "stagecoach/approval", state: "pending", branches: [{ name: "main" }] });
  });

  it("groups check runs into one suite per App and commit, completing it with the most severe conclusion", async () => {
    const { data: first } = await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "stagecoach/verify uat", status: "in_progress" });
    const { data: second } = await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "stagecoach/config", conclusion: "success" });
    expect(first.check_suite?.id).toBe(second.check_suite?.id);
    let { data: suites } = await octokit.rest.checks.listSuitesForRef({ ...repo, ref: "main" });
    expect(suites.check_suites.map((s) => [s.status, s.conclusion, s.latest_check_runs_count])).toEqual([["in_progress", null, 2]]);
    await octokit.rest.checks.update({ ...repo, check_run_id: first.id, conclusion: "failure" });
    ({ data: suites } = await octokit.rest.checks.listSuitesForRef({ ...repo, ref: sha }));
    expect(suites.check_suites.map((s) => [s.status, s.conclusion])).toEqual([["completed", "failure"]]);
    await octokit.rest.checks.rerequestSuite({ ...repo, check_suite_id: suites.check_suites[0]!.id });
    await octokit.rest.checks.rerequestRun({ ...repo, check_run_id: first.id });
    await t.sandbox.waitForIdle();
    expect(hooks.actions("check_suite")).toEqual(["completed", "rerequested"]);
    expect(hooks.actions("check_run")).toEqual(["created", "created", "completed", "completed", "rerequested"]);
    await expect(octokit.rest.checks.getSuite({ ...repo, check_suite_id: 1 })).rejects.toMatchObject({ status: 404 });
  });

  it("lists a commit's check runs as GitHub does: the newest of each name by default, all with filter=all, by status and by App", async () => {
    await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "stagecoach/verify dev", conclusion: "failure" });
    const { data: again } = await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "stagecoach/verify dev", status: "in_progress" });
    await octokit.rest.checks.create({ ...repo, head_sha: sha, name: "stagecoach/config", conclusion: "success" });
    const names = async (query: Record<string, string | number>) =>
      (await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: sha, ...query })).data.check_runs.map((r) => `${r.name}:${r.status}`);
    expect(await names({})).toEqual(["stagecoach/config:completed", "stagecoach/verify dev:in_progress"]);
    expect(await names({ filter: "all" })).toEqual(["stagecoach/config:completed", "stagecoach/verify dev:in_progress", "stagecoach/verify dev:completed"]);
    expect(await names({ filter: "all", status: "in_progress" })).toEqual(["stagecoach/verify dev:in_progress"]);
    expect(await names({ app_id: t.app.id })).toHaveLength(2);
    expect(await names({ app_id: t.app.id + 1 })).toEqual([]);
    expect(again.app?.id).toBe(t.app.id);
  });

  it("records deployments and their statuses, turning older ones in the environment inactive", async () => {
    const { data: first } = await octokit.rest.repos.createDeployment({ ...repo, ref: "main", environment: "uat", required_contexts: [], auto_merge: false, payload: { freight: "abc" } });
    if (!("id" in first)) throw new Error("expected a deployment");
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: first.id, state: "success", environment_url: "https://uat.example.com" });
    const next = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { "uat/image.txt": "1.3.0\n" }, message: "promote", author: "acme" });
    const { data: second } = await octokit.rest.repos.createDeployment({ ...repo, ref: next, environment: "uat", required_contexts: [] });
    if (!("id" in second)) throw new Error("expected a deployment");
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: second.id, state: "in_progress" });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: second.id, state: "success" });
    const { data: firstStatuses } = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: first.id });
    expect(firstStatuses.map((s) => s.state)).toEqual(["inactive", "success"]);
    const { data: listed } = await octokit.rest.repos.listDeployments({ ...repo, environment: "uat" });
    expect(listed.map((d) => [d.id, d.sha, d.payload])).toEqual([
      [second.id, next, {}],
      [first.id, sha, { freight: "abc" }],
    ]);
    expect(listed[0]!.performed_via_github_app?.id).toBe(t.app.id);
    await t.sandbox.waitForIdle();
    expect(hooks.actions("deployment")).toEqual(["created", "created"]);
    expect(hooks.all().filter((d) => d.event === "deployment_status").map((d) => (d.payload.deployment_status as { state: string }).state)).toEqual(["success", "in_progress", "success", "inactive"]);
  });

  it("refuses a deployment whose commit statuses are not green unless told which contexts count", async () => {
    await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: "failure", context: "ci" });
    await expect(octokit.rest.repos.createDeployment({ ...repo, ref: "main", environment: "production" })).rejects.toMatchObject({ status: 409 });
    const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: "main", environment: "production", required_contexts: [] });
    expect("id" in data && data.production_environment).toBe(true);
    await expect(octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: 999_999, state: "success" })).rejects.toMatchObject({ status: 404 });
  });
});
