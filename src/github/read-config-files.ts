import type { Octokit } from "@octokit/rest";
import type { ConfigSource, RepositorySources } from "../config/config-source.js";

/** Only the call this module needs, so any Octokit (Probot's installation client included) fits. */
export interface ContentsClient {
  rest: { repos: { getContent: Octokit["rest"]["repos"]["getContent"] } };
}

export interface RepositoryRef {
  owner: string;
  repo: string;
  /** Branch, tag or SHA; the default branch when omitted. */
  ref?: string;
}

const notFound = (error: unknown) => (error as { status?: number }).status === 404;

/**
 * Config files of one repository at one ref, through the contents API. Files of the repository
 * being checked are labelled by their path (what check-run annotations need); `labelled: true`
 * names them `owner/repo:path` instead, for files reached through `_extends`.
 */
export function createGitHubConfigSource(octokit: ContentsClient, at: RepositoryRef, options: { labelled?: boolean } = {}): ConfigSource {
  const get = async (path: string) => {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: at.owner, repo: at.repo, path, ...(at.ref ? { ref: at.ref } : {}) });
      return data;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw new Error(`reading ${at.owner}/${at.repo}:${path}${at.ref ? `@${at.ref}` : ""} from GitHub failed: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    label: (path) => (options.labelled ? `${at.owner}/${at.repo}:${path}` : path),
    async readFile(path) {
      const data = await get(path);
      if (!data || Array.isArray(data) || data.type !== "file") return undefined;
      // The contents API leaves `content` empty for files over 1 MB; the size check then refuses them.
      if (!data.content && data.size > 0) return "\n".repeat(data.size);
      return Buffer.from(data.content, "base64").toString("utf8");
    },
    async listDirectory(path) {
      const data = await get(path);
      if (!data || !Array.isArray(data)) return undefined;
      return data.filter((entry) => entry.type === "file").map((entry) => entry.name).sort();
    },
  };
}

/** Other repositories at their default branches, for `_extends` and the org `.github` fallback. */
export function githubRepositorySources(octokit: ContentsClient): RepositorySources {
  return (owner, repo) => createGitHubConfigSource(octokit, { owner, repo }, { labelled: true });
}
