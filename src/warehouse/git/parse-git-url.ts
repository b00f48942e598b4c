import { DiscoveryError } from "../types.js";

export interface GitRemote {
  /** What git is given: http(s), no credentials, no query or fragment. */
  url: string;
  hostname: string;
  port: number;
}

export interface GitHubRepository {
  owner: string;
  repo: string;
}

/** The repoURL as messages name it: any password in it replaced, since messages reach logs and check runs. */
export function displayRepoURL(repoURL: string): string {
  return repoURL.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

/**
 * The remote for the git CLI. Only http(s) is accepted: ssh needs keys the App does not hold, and
 * `file://` or `ext::` would let a config read the App's disk or run commands.
 */
export function parseGitRemote(repoURL: string, field: string): GitRemote {
  const text = repoURL.trim();
  if (/^(ssh:\/\/|[\w.-]+@[\w.-]+:)/i.test(text)) {
    throw new DiscoveryError(`${field}.repoURL: "${repoURL}" is an ssh URL, which discovery does not use outside GitHub; write the https:// URL and give a token for it in STAGECOACH_CREDENTIALS`, false);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DiscoveryError(`${field}.repoURL: "${repoURL}" is not a URL; write it like https://git.example.com/team/repo.git`, false);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DiscoveryError(`${field}.repoURL: the ${url.protocol.replace(/:$/, "")} scheme is not allowed; write an https:// URL`, false);
  }
  if (url.username || url.password) {
    throw new DiscoveryError(`${field}.repoURL: the URL carries credentials, which must not live in the GitOps repository; remove them and put them in STAGECOACH_CREDENTIALS`, false);
  }
  if (url.search || url.hash) {
    throw new DiscoveryError(`${field}.repoURL: "${repoURL}" has a query or fragment; write the plain repository URL`, false);
  }
  if (url.pathname === "/" || url.pathname === "") {
    throw new DiscoveryError(`${field}.repoURL: "${repoURL}" names a host but no repository; write it like https://git.example.com/team/repo.git`, false);
  }
  return { url: url.href, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port) || (url.protocol === "https:" ? 443 : 80) };
}

/**
 * Owner and name when the repoURL is on the given GitHub host (`github.com`, or a sandbox's
 * `host:port`), in any of the forms people write: https, http, `ssh://git@host/…`, `git@host:…`,
 * with or without `.git`. Undefined for any other host.
 */
export function gitHubRepositoryOf(repoURL: string, githubHost: string): GitHubRepository | undefined {
  const text = repoURL.trim();
  const host = githubHost.toLowerCase();
  let hostPart: string;
  let path: string;
  // ssh forms carry no port, so they are compared with the host alone.
  let sshForm = false;
  const scp = /^[\w.-]+@([^:/]+):(?!\/)(.*)$/.exec(text);
  if (scp) {
    [, hostPart = "", path = ""] = scp;
    sshForm = true;
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (!["https:", "http:", "ssh:"].includes(url.protocol) || url.search || url.hash) return undefined;
    sshForm = url.protocol === "ssh:";
    hostPart = sshForm ? url.hostname : url.host;
    path = url.pathname;
  }
  if (hostPart.toLowerCase() !== (sshForm ? host.replace(/:\d+$/, "") : host)) return undefined;
  const match = /^\/?([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(path);
  if (!match) return undefined;
  return { owner: match[1]!, repo: match[2]! };
}
