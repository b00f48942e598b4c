import type { InstallationOctokit } from "./installations.js";

/** The paths a pull request changes (all pages; GitHub lists at most 3000). */
export async function listPullRequestFiles(octokit: InstallationOctokit, repo: { owner: string; repo: string }, pullNumber: number): Promise<string[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  return files.map((file) => file.filename);
}
