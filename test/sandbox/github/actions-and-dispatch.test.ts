import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";
import { collectDeliveries, type CollectedDeliveries } from "./collect-deliveries.js";

const SMOKE_TEST = `name: Smoke test
on:
  workflow_dispatch:
    inputs:
      stage: { required: true }
`;
const ON_PUSH = `name: CI
on: [push]
`;

describe("GitHub sandbox: repository_dispatch and Actions workflows", () => {
  let t: TestSandbox;
  let octokit: Octokit;
  let hooks: CollectedDeliveries;
  const repo = { owner: "acme", repo: "gitops" };

  beforeEach(async () => {
    hooks = await collectDeliveries();
    t = await startTestSandbox({ webhookUrl: hooks.url });
    await t.sandbox.createRepo("acme", "gitops", {
      files: { ".github/workflows/smoke.yml": SMOKE_TEST, ".github/workflows/ci.yaml": ON_PUSH, ".github/workflows/notes.txt": "not a workflow" },
    });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
  });
  afterEach(async () => {
    await t.close();
    await hooks.close();
  });

  it("delivers repository_dispatch with the event type as the action and the client payload", async () => {
    await octokit.rest.repos.createDispatchEvent({ ...repo, event_type: "stagecoach.promotion.succeeded", client_payload: { stage: "uat", freight: "abc123" } });
    await t.sandbox.waitForIdle();
    expect(hooks.find("repository_dispatch")).toMatchObject({ action: "stagecoach.promotion.succeeded", branch: "main", client_payload: { stage: "uat", freight: "abc123" } });
    await expect(octokit.rest.repos.createDispatchEvent({ ...repo, event_type: "x".repeat(101) })).rejects.toMatchObject({ status: 422 });
    t.sandbox.clearSchemaViolations();
  });

  it("lists workflows from the default branch and starts a run on workflow_dispatch that the test completes", async () => {
    const { data: workflows } = await octokit.rest.actions.listRepoWorkflows(repo);
    expect(workflows.workflows.map((w) => [w.name, w.path]).sort()).toEqual([
      ["CI", ".github/workflows/ci.yaml"],
      ["Smoke test", ".github/workflows/smoke.yml"],
    ]);
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "smoke.yml", ref: "main", inputs: { stage: "uat" } });
    const [run] = t.sandbox.workflowRuns("acme", "gitops");
    expect(run).toMatchObject({ status: "queued", event: "workflow_dispatch", inputs: { stage: "uat" }, runNumber: 1 });
    t.sandbox.completeWorkflowRun({ ...repo, runId: run!.id, conclusion: "failure" });
    const { data: fetched } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run!.id });
    expect([fetched.status, fetched.conclusion, fetched.head_branch]).toEqual(["completed", "failure", "main"]);
    const { data: listed } = await octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: "smoke.yml", status: "failure" });
    expect(listed.workflow_runs.map((r) => r.id)).toEqual([run!.id]);
    await t.sandbox.waitForIdle();
    expect(hooks.actions("workflow_run")).toEqual(["requested", "in_progress", "completed"]);
    expect(hooks.find("workflow_run", "completed")).toMatchObject({ workflow_run: { conclusion: "failure" }, workflow: { path: ".github/workflows/smoke.yml" } });
    expect(() => t.sandbox.completeWorkflowRun({ ...repo, runId: run!.id, conclusion: "success" })).toThrow(/already completed/);
  });

  it("ends runs at once with an outcome set in advance, and refuses workflows without workflow_dispatch", async () => {
    t.sandbox.setWorkflowOutcome("acme", "gitops", "smoke.yml", "success");
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "smoke.yml", ref: "main", inputs: { stage: "prod" } });
    expect(t.sandbox.workflowRuns("acme", "gitops").map((r) => [r.status, r.conclusion])).toEqual([["completed", "success"]]);
    await expect(octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "ci.yaml", ref: "main" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("workflow_dispatch"),
    });
    await expect(octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "missing.yml", ref: "main" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "smoke.yml", ref: "no-such-branch" })).rejects.toMatchObject({ status: 422 });
  });
});
