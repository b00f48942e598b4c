import type { RequiredCheck } from "../pipeline/judge-verification.js";
import type { InstallationOctokit } from "./installations.js";

interface RepoRef {
  owner: string;
  repo: string;
}

export const verifyCheckName = (stage: string) => `stagecoach/verify ${stage}`;

/** Opens the `stagecoach/verify <stage>` check run, in progress, on each commit (the promoted commit and the freight's record). */
export async function startVerifyCheckRuns(octokit: InstallationOctokit, repo: RepoRef, stage: string, shas: string[], summary: string): Promise<number[]> {
  const ids: number[] = [];
  for (const sha of new Set(shas)) {
    const { data } = await octokit.rest.checks.create({ ...repo, head_sha: sha, name: verifyCheckName(stage), status: "in_progress", output: { title: `Verifying ${stage}`, summary } });
    ids.push(data.id);
  }
  return ids;
}

export async function finishVerifyCheckRuns(octokit: InstallationOctokit, repo: RepoRef, ids: number[], passed: boolean, title: string, summary: string): Promise<void> {
  for (const id of ids) {
    await octokit.rest.checks.update({ ...repo, check_run_id: id, status: "completed", conclusion: passed ? "success" : "failure", output: { title, summary } });
  }
}

/**
 * Dispatches the verification workflow with the stage, freight and commit as inputs and returns
 * the run's ID. GitHub answers with the run when asked (`return_run_details`); a server that does
 * not (older GHES) answers 204, and the newest dispatched run of that workflow since the call is it.
 */
export async function dispatchVerificationWorkflow(
  octokit: InstallationOctokit,
  repo: RepoRef,
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
): Promise<number> {
  const since = Date.now() - 5_000;
  const response = await octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { ...repo, workflow_id: workflow, ref, inputs, return_run_details: true });
  const details = response.data as { workflow_run_id?: number } | undefined;
  if (details?.workflow_run_id) return details.workflow_run_id;
  const { data } = await octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: workflow, event: "workflow_dispatch", per_page: 10 });
  const run = data.workflow_runs.find((r) => Date.parse(r.created_at) >= since);
  if (!run) throw new Error(`dispatched workflow ${workflow} on ${ref}, but no run of it appeared`);
  return run.id;
}

export async function readWorkflowRun(octokit: InstallationOctokit, repo: RepoRef, runId: number): Promise<{ status: string | null; conclusion: string | null; url: string }> {
  const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
  return { status: data.status, conclusion: data.conclusion, url: data.html_url };
}

/**
 * Where each named check stands on a commit: the newest check run of that name, else the commit
 * status of that context. Missing means not reported yet (pending).
 */
export async function readRequiredChecks(octokit: InstallationOctokit, repo: RepoRef, sha: string, names: string[]): Promise<RequiredCheck[]> {
  if (names.length === 0) return [];
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: sha, per_page: 100 });
  const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha, per_page: 100 });
  return names.map((name): RequiredCheck => {
    const run = runs.filter((r) => r.name === name).sort((a, b) => b.id - a.id)[0];
    if (run) {
      if (run.status !== "completed") return { name, state: "pending" };
      return { name, state: ["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure", detail: run.conclusion ?? undefined };
    }
    const status = combined.statuses.find((s) => s.context === name);
    if (!status || status.state === "pending") return { name, state: "pending" };
    return { name, state: status.state === "success" ? "success" : "failure", detail: status.state };
  });
}

export async function setDeploymentStatus(octokit: InstallationOctokit, repo: RepoRef, deploymentId: number, state: "in_progress" | "success" | "failure", description: string): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deploymentId, state, description: description.slice(0, 140), auto_inactive: true });
}
