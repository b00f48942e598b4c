import type { GitHubClient } from "../../github/git-data.js";
import { DiscoveryError } from "../types.js";
import { BoundedCache } from "./bounded-cache.js";
import { explainGitHubError, statusOf } from "./explain-github-error.js";
import { formatSignature, toIsoDate, type CommitDetails, type GitSource, type TaggedCommit } from "./git-source.js";
import { mapConcurrently } from "./map-concurrently.js";
import type { GitHubRepository } from "./parse-git-url.js";

export interface GitHubSourceOptions {
  /** The GitHub host the repoURL named (part of cache keys, so two sandboxes never share entries). */
  host: string;
  field: string;
  signal?: AbortSignal;
}

/** NewestTag through the API costs one call per candidate tag (cached afterwards); past this many, narrow the tags. */
export const MAX_DATED_TAGS = 1000;
const IN_FLIGHT = 8;
const MAX_PAGES = 1000;
// GitHub lists at most 3000 files of a commit, 300 a page.
const MAX_FILE_PAGES = 10;

interface Page<T> {
  data: T;
  headers: { link?: string };
}

interface Peeled {
  commitSha: string;
  taggerDate?: string;
}

// Commits and tag objects never change for a SHA, so what one poll learned serves every later one.
const commitCache = new BoundedCache<CommitDetails>(20_000);
const filesCache = new BoundedCache<string[]>(20_000);
const tagObjectCache = new BoundedCache<{ object: { sha: string; type: string }; date?: string }>(20_000);

/**
 * A repository on GitHub read through the REST API: one call for a page of branch history, the
 * matching-refs list for tags, and per-commit calls only where a strategy needs them (changed
 * files for path filters, dates for NewestTag, details for the tags kept).
 */
export function createGitHubSource(client: GitHubClient, repository: GitHubRepository, options: GitHubSourceOptions): GitSource {
  const { field, signal } = options;
  const base = { owner: repository.owner, repo: repository.repo, request: signal ? { signal } : {} };
  const cacheKey = (sha: string) => `${options.host}/${repository.owner}/${repository.repo}@${sha}`.toLowerCase();
  let tagRefs: Map<string, { sha: string; type: string }> | undefined;

  async function call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw explainGitHubError(error, field, repository, doing);
    }
  }

  async function readCommit(sha: string): Promise<CommitDetails> {
    const cached = commitCache.get(cacheKey(sha));
    if (cached) return cached;
    const { data } = await call(`reading commit ${sha}`, () => client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { ...base, commit_sha: sha }));
    const details = {
      id: data.sha,
      message: data.message,
      author: formatSignature(data.author.name, data.author.email),
      committer: formatSignature(data.committer.name, data.committer.email),
      committedAt: toIsoDate(data.committer.date),
    };
    commitCache.set(cacheKey(sha), details);
    return details;
  }

  async function peel(tag: string): Promise<Peeled | undefined> {
    let ref = tagRefs?.get(tag);
    let taggerDate: string | undefined;
    // A tag may point at another tag; five levels is more than anyone writes.
    for (let depth = 0; ref?.type === "tag" && depth < 5; depth++) {
      const sha = ref.sha;
      let object = tagObjectCache.get(cacheKey(sha));
      if (!object) {
        const { data } = await call(`reading tag ${tag}`, () => client.request("GET /repos/{owner}/{repo}/git/tags/{tag_sha}", { ...base, tag_sha: sha }));
        object = { object: data.object, ...(data.tagger?.date ? { date: data.tagger.date } : {}) };
        tagObjectCache.set(cacheKey(sha), object);
      }
      taggerDate ??= object.date ? toIsoDate(object.date) : undefined;
      ref = object.object;
    }
    if (ref?.type !== "commit") return undefined;
    return { commitSha: ref.sha, ...(taggerDate ? { taggerDate } : {}) };
  }

  /** A further page of a listing, by the URL GitHub's `Link` header gave. */
  function nextPage<T>(url: string): Promise<Page<T>> {
    return client.request({ method: "GET", url, request: base.request }) as Promise<Page<T>>;
  }

  async function listTagRefs(): Promise<Map<string, { sha: string; type: string }>> {
    const refs = new Map<string, { sha: string; type: string }>();
    let response: Page<Array<{ ref: string; object: { sha: string; type: string } }>>;
    try {
      response = await client.request("GET /repos/{owner}/{repo}/git/matching-refs/{ref}", { ...base, ref: "tags" });
    } catch (error) {
      if (statusOf(error) === 409) return refs; // an empty repository has no refs at all
      if (signal?.aborted) throw error;
      throw explainGitHubError(error, field, repository, "listing tags");
    }
    for (let page = 1; ; page++) {
      for (const item of response.data) {
        if (item.ref.startsWith("refs/tags/")) refs.set(item.ref.slice("refs/tags/".length), { sha: item.object.sha, type: item.object.type });
      }
      const next = nextLink(response.headers.link);
      if (!next || page >= MAX_PAGES) return refs;
      response = await call("listing tags", () => nextPage(next));
    }
  }

  async function readChangedPaths(sha: string): Promise<string[]> {
    const cached = filesCache.get(cacheKey(sha));
    if (cached) return cached;
    const paths: string[] = [];
    const doing = `reading the files commit ${sha} changed`;
    let response: Page<{ files?: Array<{ filename: string; previous_filename?: string }> }> = await call(doing, () => client.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...base, ref: sha }));
    for (let page = 1; ; page++) {
      // A rename changes both paths: leaving a directory matters as much as entering one.
      for (const file of response.data.files ?? []) paths.push(file.filename, ...(file.previous_filename ? [file.previous_filename] : []));
      const next = nextLink(response.headers.link);
      if (!next || page >= MAX_FILE_PAGES) break;
      response = await call(doing, () => nextPage(next));
    }
    filesCache.set(cacheKey(sha), paths);
    return paths;
  }

  return {
    async resolveBranch(branch) {
      if (branch) return branch;
      const { data } = await call("reading the repository", () => client.request("GET /repos/{owner}/{repo}", base));
      return data.default_branch;
    },

    async *branchCommits(branch, pageSize) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        let response;
        try {
          response = await client.request("GET /repos/{owner}/{repo}/commits", { ...base, sha: branch, per_page: pageSize, page });
        } catch (error) {
          if (signal?.aborted) throw error;
          const status = statusOf(error);
          if (status === 409) return; // "Git Repository is empty."
          if (status === 404 || status === 422) {
            // The branch, the repository or every commit is missing: listing branches tells which.
            const { data: branches } = await call("listing branches", () => client.request("GET /repos/{owner}/{repo}/branches", { ...base, per_page: 1 }));
            if (branches.length === 0) return;
            throw new DiscoveryError(`${field}.branch: the branch "${branch}" does not exist in ${repository.owner}/${repository.repo}; fix the branch name or leave it out to follow the default branch`, false);
          }
          throw explainGitHubError(error, field, repository, `listing commits of ${branch}`);
        }
        const commits = response.data.map(
          (item): CommitDetails => ({
            id: item.sha,
            message: item.commit.message,
            author: formatSignature(item.commit.author?.name, item.commit.author?.email),
            committer: formatSignature(item.commit.committer?.name, item.commit.committer?.email),
            committedAt: toIsoDate(item.commit.committer?.date ?? item.commit.author?.date ?? ""),
          }),
        );
        for (const commit of commits) commitCache.set(cacheKey(commit.id), commit);
        if (commits.length > 0) yield commits;
        if (commits.length < pageSize || !nextLink(response.headers.link)) return;
      }
    },

    async listTags() {
      tagRefs = await listTagRefs();
      return [...tagRefs.keys()];
    },

    async tagDates(tags) {
      if (tags.length > MAX_DATED_TAGS) {
        throw new DiscoveryError(
          `${field}: NewestTag needs the date of every candidate tag, and ${tags.length} tags qualify, more than the ${MAX_DATED_TAGS} read through GitHub's API per discovery; narrow them with allowTagsRegexes (e.g. "^v2\\.") or ignoreTagsRegexes, or use the SemVer or Lexical strategy`,
          false,
        );
      }
      const dated = await mapConcurrently(tags, IN_FLIGHT, async (tag) => {
        const peeled = await peel(tag);
        if (!peeled) return undefined;
        return [tag, peeled.taggerDate ?? (await readCommit(peeled.commitSha)).committedAt] as const;
      });
      return new Map(dated.filter((entry) => entry !== undefined));
    },

    async tagCommits(tags) {
      const read = await mapConcurrently(tags, IN_FLIGHT, async (tag) => {
        const peeled = await peel(tag);
        if (!peeled) return undefined;
        const commit = await readCommit(peeled.commitSha);
        return [tag, { commit, createdAt: peeled.taggerDate ?? commit.committedAt }] as [string, TaggedCommit];
      });
      return new Map(read.filter((entry) => entry !== undefined));
    },

    async changedPaths(commitIds) {
      const read = await mapConcurrently(commitIds, IN_FLIGHT, async (sha) => [sha, await readChangedPaths(sha)] as const);
      return new Map(read);
    },

    async close() {},
  };
}

/** The `rel="next"` URL of a GitHub `Link` header. */
function nextLink(header: string | undefined): string | undefined {
  return header ? /<([^>]+)>;\s*rel="next"/.exec(header)?.[1] : undefined;
}
