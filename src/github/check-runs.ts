import type { InstallationOctokit } from "./installations.js";

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations?: ReadonlyArray<object>;
}

/**
 * Creates a completed check run. GitHub takes at most 50 annotations per request, so the first
 * batch goes with the create and every further batch is an update of the same run.
 */
export async function publishCheckRun(
  octokit: InstallationOctokit,
  at: { owner: string; repo: string; headSha: string },
  run: { name: string; conclusion: "success" | "failure" | "neutral"; outputs: CheckRunOutput[] },
): Promise<number> {
  const [first, ...rest] = run.outputs;
  const { data } = await octokit.rest.checks.create({
    owner: at.owner,
    repo: at.repo,
    head_sha: at.headSha,
    name: run.name,
    status: "completed",
    conclusion: run.conclusion,
    completed_at: new Date().toISOString(),
    output: first as never,
  });
  for (const output of rest) {
    await octokit.rest.checks.update({ owner: at.owner, repo: at.repo, check_run_id: data.id, output: output as never });
  }
  return data.id;
}
