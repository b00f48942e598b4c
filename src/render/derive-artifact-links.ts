import { normalizeRepoUrl } from "../argocd/normalize-repo-url.js";

type ImageLink = (path: string) => string;
type CommitLink = (path: string, sha: string) => string;

/** Registries whose web pages follow from an image's repository. */
const IMAGE_PAGES: Record<string, ImageLink> = {
  "docker.io": (path) => (path.startsWith("library/") ? `https://hub.docker.com/_/${path.slice(8)}` : `https://hub.docker.com/r/${path}`),
  "quay.io": (path) => `https://quay.io/repository/${path}`,
};

/** Git hosts whose commit pages follow from the repository URL. */
const COMMIT_PAGES: Record<string, CommitLink> = {
  "github.com": (path, sha) => `https://github.com/${path}/commit/${sha}`,
  "gitlab.com": (path, sha) => `https://gitlab.com/${path}/-/commit/${sha}`,
  "bitbucket.org": (path, sha) => `https://bitbucket.org/${path}/commits/${sha}`,
};

/** The registry page of an image, when its host is one whose pages are known. */
export function imageLink(repoURL: string): string | undefined {
  const [first = "", ...rest] = normalizeRepoUrl(repoURL).split("/");
  // An image without a registry host (`nginx`, `acme/app`) lives on Docker Hub.
  const hasHost = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first : "docker.io";
  const parts = hasHost ? rest : [first, ...rest];
  const path = parts.length === 1 ? `library/${parts[0]}` : parts.join("/");
  return IMAGE_PAGES[host === "registry-1.docker.io" || host === "index.docker.io" ? "docker.io" : host]?.(path);
}

/** The web page of a commit, when the repository is on a known host. */
export function commitLink(repoURL: string, sha: string): string | undefined {
  const [host = "", ...path] = normalizeRepoUrl(repoURL).split("/");
  return path.length > 0 ? COMMIT_PAGES[host]?.(path.join("/"), sha) : undefined;
}
