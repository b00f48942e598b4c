/**
 * owner/repo of a repoURL on one of `hosts` (github.com, a GitHub Enterprise host, or the
 * sandbox's host:port, whose git URLs carry a `/_git/` prefix); undefined for other remotes.
 */
export function parseGitHubRepoURL(repoURL: string, hosts: readonly string[] = ["github.com"]): { owner: string; repo: string } | undefined {
  const scp = /^git@([^:]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(repoURL);
  if (scp) return hosts.includes(scp[1] as string) ? { owner: scp[2] as string, repo: scp[3] as string } : undefined;
  let url: URL;
  try {
    url = new URL(repoURL);
  } catch {
    return undefined;
  }
  if (!hosts.includes(url.host)) return undefined;
  const match = /^\/(?:_git\/)?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.pathname);
  return match ? { owner: match[1] as string, repo: match[2] as string } : undefined;
}
