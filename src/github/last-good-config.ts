import type { InstallationOctokit } from "./installations.js";

/**
 * The commit whose pipeline config the App runs, kept as a ref in the GitOps repository itself
 * (GitHub is the system of record): a broken config pushed later never replaces it.
 */
export const LAST_GOOD_CONFIG_REF = "stagecoach/config/last-good";

export async function readLastGoodConfig(octokit: InstallationOctokit, owner: string, repo: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: LAST_GOOD_CONFIG_REF });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export async function recordLastGoodConfig(octokit: InstallationOctokit, owner: string, repo: string, sha: string): Promise<void> {
  const current = await readLastGoodConfig(octokit, owner, repo);
  if (current === sha) return;
  if (current) {
    await octokit.rest.git.updateRef({ owner, repo, ref: LAST_GOOD_CONFIG_REF, sha, force: true });
  } else {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/${LAST_GOOD_CONFIG_REF}`, sha });
  }
}
