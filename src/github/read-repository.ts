import type { GitHubClient, RepoRef } from "./git-data.js";

export interface RepositoryFacts {
  fullName: string;
  defaultBranch: string;
}

/**
 * The repository itself, or undefined when GitHub says 404: it does not exist, or the token may
 * not see it (GitHub does not say which). Other reads answer 404 for a missing file or ref too,
 * so a tool asks this first to tell "no such repository" from "nothing recorded yet".
 */
export async function readRepository(client: GitHubClient, repo: RepoRef): Promise<RepositoryFacts | undefined> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}", { ...repo });
    return { fullName: data.full_name, defaultBranch: data.default_branch };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
