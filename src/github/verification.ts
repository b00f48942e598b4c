import type { RequiredCheck } from "../pipeline/judge-verification.js";
import type { CheckRunFacts } from "../records/define-record.js";
import { formatVerificationText, parseVerificationRecord, type PendingVerification } from "../records/verification-record.js";
import { verifyCheckName } from "./freight-status.js";
import type { InstallationOctokit } from "./installations.js";

interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * Opens the `stagecoach/verify <stage>` check runs, in progress: on the freight's record (so the
 * freight carries its verification) and on the promoted commit, whose run also carries the
 * verification's record (records/verification-record.ts).
 */
export async function startVerification(octokit: InstallationOctokit, repo: RepoRef, pending: Omit<PendingVerification, "checkRunIds">, freightCommit: string | undefined, summary: string): Promise<PendingVerification> {
  const name = verifyCheckName(pending.stage);
  const output = { title: `Verifying ${pending.stage}`, summary };
  const ids: number[] = [];
  if (freightCommit && freightCommit !== pending.sha) {
    const { data } = await octokit.rest.checks.create({ ...repo, head_sha: freightCommit, name, status: "in_progress", external_id: pending.promotionId, output });
    ids.push(data.id);
  }
  const draft: PendingVerification = { ...pending, checkRunIds: ids };
  const { data } = await octokit.rest.checks.create({ ...repo, head_sha: pending.sha, name, status: "in_progress", external_id: pending.promotionId, output: { ...output, text: formatVerificationText(draft, []) } });
  const started: PendingVerification = { ...pending, checkRunIds: [data.id, ...ids] };
  await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: { ...output, text: formatVerificationText(started, []) } });
  return started;
}

/** Shows how far a verification got, on its check run on the promoted commit (keeping its record). */
export async function reportVerificationProgress(octokit: InstallationOctokit, repo: RepoRef, pending: PendingVerification, title: string, lines: string[]): Promise<void> {
  const [primary] = pending.checkRunIds;
  if (primary === undefined) return;
  await octokit.rest.checks.update({ ...repo, check_run_id: primary, output: { title, summary: lines.join("\n") || title, text: formatVerificationText(pending, lines) } });
}

/** The verifications under way on a commit: the App's in-progress verify check runs there, with their records. */
export async function findPendingVerifications(octokit: InstallationOctokit, repo: RepoRef, sha: string, appId?: number): Promise<Array<{ pending: PendingVerification; lines: string[] }>> {
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha, status: "in_progress", filter: "all", per_page: 100, ...(appId !== undefined ? { app_id: appId } : {}) });
  const found: Array<{ pending: PendingVerification; lines: string[] }> = [];
  for (const run of data.check_runs) {
    if (!run.name.startsWith(verifyCheckName(""))) continue;
    const read = parseVerificationRecord(run as CheckRunFacts, appId);
    if (read.ok) found.push({ pending: read.value, lines: (run.output.summary ?? "").split("\n").filter(Boolean) });
  }
  return found;
}

/**
 * A verification's record as it stands now, read again from its check run (another worker may
 * have moved it on, or concluded it, since it was found); undefined once it is completed.
 */
export async function readOpenVerification(octokit: InstallationOctokit, repo: RepoRef, checkRunId: number): Promise<{ pending: PendingVerification; lines: string[] } | undefined> {
  const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId });
  if (data.status === "completed") return undefined;
  const read = parseVerificationRecord(data as CheckRunFacts);
  return read.ok ? { pending: read.value, lines: (data.output.summary ?? "").split("\n").filter(Boolean) } : undefined;
}

/** A verification that fails before it could start (the promotion failed after landing): finished check runs, failed. */
export async function failVerification(octokit: InstallationOctokit, repo: RepoRef, stage: string, shas: string[], title: string, summary: string): Promise<void> {
  for (const sha of new Set(shas)) {
    await octokit.rest.checks.create({ ...repo, head_sha: sha, name: verifyCheckName(stage), status: "completed", conclusion: "failure", output: { title, summary } });
  }
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
  /** The branch to run it from; the repository's default branch when undefined. */
  branch: string | undefined,
  inputs: Record<string, string>,
): Promise<number> {
  const ref = branch ?? (await octokit.rest.repos.get({ ...repo })).data.default_branch;
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
