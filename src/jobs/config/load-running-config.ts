import { loadProject, type Project } from "../../config/index.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readLastGoodConfig, type ConfigPointerCache } from "../../github/last-good-config.js";
import { createGitHubConfigSource, githubRepositorySources } from "../../github/read-config-files.js";

export interface RunningConfig {
  project: Project;
  /** The commit the config was read at (the last good config, or the one a promotion started with). */
  sha: string;
}

/**
 * Parsed configs by repository and commit. A commit's own files never change, but `_extends` may
 * reach into another repository's default branch, so an entry is trusted for a minute only.
 */
const CACHE_TTL_MS = 60_000;
const CACHE_SIZE = 100;
const cache = new Map<string, { loaded: Promise<Project>; at: number }>();

/**
 * The config the App runs: the last good one recorded on GitHub (never a broken newer push). With
 * the shared store, the commit it is at comes from there (check-config puts it there when it
 * adopts a config), so a job costs no GitHub call for it.
 */
export async function loadRunningConfig(octokit: InstallationOctokit, owner: string, repo: string, cache?: ConfigPointerCache): Promise<Project> {
  return (await readRunningConfig(octokit, owner, repo, cache)).project;
}

export async function readRunningConfig(octokit: InstallationOctokit, owner: string, repo: string, cache?: ConfigPointerCache): Promise<RunningConfig> {
  const sha = await readLastGoodConfig(octokit, owner, repo, cache);
  if (!sha) throw new Error(`${owner}/${repo} has no valid Stagecoach config yet: push a .github/stagecoach.yml that passes the stagecoach/config check`);
  return { project: await loadConfigAt(octokit, owner, repo, sha), sha };
}

/** The config at one commit (a resumed promotion keeps the steps it started with). */
export async function loadConfigAt(octokit: InstallationOctokit, owner: string, repo: string, sha: string): Promise<Project> {
  const key = `${octokit.request.endpoint.DEFAULTS.baseUrl}/${owner}/${repo}@${sha}`.toLowerCase();
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.loaded;
  const loaded = load(octokit, owner, repo, sha);
  cache.set(key, { loaded, at: Date.now() });
  loaded.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return loaded;
}

async function load(octokit: InstallationOctokit, owner: string, repo: string, sha: string): Promise<Project> {
  const result = await loadProject(createGitHubConfigSource(octokit, { owner, repo, ref: sha }), {
    projectName: repo,
    repository: { owner, repo },
    repositories: githubRepositorySources(octokit),
  });
  if (!result.project) throw new Error(`the config of ${owner}/${repo} at ${sha.slice(0, 7)} does not validate (it was the last good one); push a fixed .github/stagecoach.yml`);
  return result.project;
}
