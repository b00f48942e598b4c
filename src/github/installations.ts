import type { ProbotOctokit } from "probot";

export type InstallationOctokit = InstanceType<typeof ProbotOctokit>;

export interface InstalledRepository {
  owner: string;
  name: string;
  defaultBranch: string;
}

/** The repositories an installation token can see (all pages). */
export async function listInstallationRepositories(octokit: InstallationOctokit): Promise<InstalledRepository[]> {
  const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repositories.map((repo) => ({ owner: repo.owner.login, name: repo.name, defaultBranch: repo.default_branch }));
}
