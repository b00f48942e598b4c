import type { InstallationOctokit } from "./installations.js";

/**
 * The commit whose pipeline config the App runs, kept as a ref in the GitOps repository itself
 * (GitHub is the system of record): a broken config pushed later never replaces it.
 */
export const LAST_GOOD_CONFIG_REF = "stagecoach/config/last-good";

/** Where replicas share the last good config's commit, so a job does not read the ref each time (a cache: the ref is the record). */
export interface ConfigPointerCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
}

const POINTER_TTL_MS = 10 * 60_000;
const pointerKey = (owner: string, repo: string) => `last-good-config:${owner}/${repo}`.toLowerCase();

export async function readLastGoodConfig(octokit: InstallationOctokit, owner: string, repo: string, cache?: ConfigPointerCache): Promise<string | undefined> {
  const cached = await cache?.get(pointerKey(owner, repo));
  if (cached) return cached;
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: LAST_GOOD_CONFIG_REF });
    await cache?.set(pointerKey(owner, repo), data.object.sha, POINTER_TTL_MS);
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export async function recordLastGoodConfig(octokit: InstallationOctokit, owner: string, repo: string, sha: string, cache?: ConfigPointerCache): Promise<void> {
  const current = await readLastGoodConfig(octokit, owner, repo);
  await cache?.set(pointerKey(owner, repo), sha, POINTER_TTL_MS);
  if (current === sha) return;
  if (current) {
    await octokit.rest.git.updateRef({ owner, repo, ref: LAST_GOOD_CONFIG_REF, sha, force: true });
  } else {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/${LAST_GOOD_CONFIG_REF}`, sha });
  }
}
