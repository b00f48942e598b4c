import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPublicHost } from "../../network/check-public-host.js";
import { NonPublicAddressError } from "../../network/non-public-address-error.js";
import { discoveryGuard } from "../../network/read-network-policy.js";
import type { NetworkPolicy } from "../../network/types.js";
import { DiscoveryError, type CredentialLookup } from "../types.js";
import { formatSignature, MAX_SCANNED_COMMITS, toIsoDate, type CommitDetails, type GitSource, type TaggedCommit } from "./git-source.js";
import { parseGitRemote, type GitRemote } from "./parse-git-url.js";
import { createGitRunner } from "./run-git.js";

export interface GitCliSourceOptions {
  field: string;
  credentials?: CredentialLookup;
  network?: NetworkPolicy;
  insecureSkipTLSVerify?: boolean;
  signal?: AbortSignal;
  /** Path filters are set: fetch trees and one more generation so every commit can be diffed. */
  needPaths: boolean;
}

// Record and field separators for `git log` output; a commit message would have to contain this exact sequence to confuse it.
const RECORD = "\x1e\x1f\x1e";
const COMMIT_FORMAT = `${RECORD}%H%x00%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%B`;
// Refspecs per fetch, to stay far below the argument-length limit.
const REFSPECS_PER_FETCH = 100;

/**
 * A repository outside GitHub, read with the git CLI: `ls-remote` for branches and tags, then
 * shallow fetches into a private bare repository of only what the strategy needs (commits without
 * trees, or without blobs when path filters need diffs). `close` removes the directory.
 */
export async function createGitCliSource(repoURL: string, options: GitCliSourceOptions): Promise<GitSource> {
  const { field } = options;
  const remote = parseGitRemote(repoURL, field);
  const pinnedAddresses = await checkRemoteHost(remote, options.network, field);
  const credential = options.credentials?.(repoURL);
  const home = await mkdtemp(join(tmpdir(), "stagecoach-git-"));
  const gitDir = join(home, "repo.git");
  const filter = options.needPaths ? "blob:none" : "tree:0";
  const run = createGitRunner({
    remote,
    pinnedAddresses,
    home,
    field,
    ...(credential ? { credential } : {}),
    ...(options.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let advertised: Promise<{ head?: string; refs: Map<string, string> }> | undefined;

  try {
    await run(["init", "--bare", "--quiet", gitDir]);
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }

  /** HEAD's target and every branch and tag the server advertises (one `ls-remote`). */
  function readAdvertisedRefs() {
    advertised ??= run(["ls-remote", "--symref", remote.url, "HEAD", "refs/heads/*", "refs/tags/*"]).then((out) => {
      const refs = new Map<string, string>();
      let head: string | undefined;
      for (const line of out.split("\n")) {
        const symref = /^ref: (refs\/heads\/\S+)\tHEAD$/.exec(line);
        if (symref) head = symref[1];
        const plain = /^([0-9a-f]{40,64})\t(refs\/(heads|tags)\/.+)$/.exec(line);
        if (plain && !plain[2]!.endsWith("^{}")) refs.set(plain[2]!, plain[1]!);
      }
      return { ...(head ? { head } : {}), refs };
    });
    return advertised;
  }

  const git = (args: string[]) => run(args, gitDir);

  async function fetchRefs(refs: readonly string[], depth: number): Promise<void> {
    for (let start = 0; start < refs.length; start += REFSPECS_PER_FETCH) {
      const refspecs = refs.slice(start, start + REFSPECS_PER_FETCH).map((ref) => `+${ref}:${ref}`);
      await git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", `--depth=${depth}`, `--filter=${filter}`, remote.url, ...refspecs]);
    }
  }

  async function readCommits(revisions: string[]): Promise<CommitDetails[]> {
    if (revisions.length === 0) return [];
    return parseCommits(await git(["log", "--no-walk=unsorted", `--format=${COMMIT_FORMAT}`, ...revisions, "--"]));
  }

  return {
    async resolveBranch(branch) {
      const { head, refs } = await readAdvertisedRefs();
      // An empty repository may still advertise HEAD's unborn target; there is nothing to follow yet.
      if (!branch) return head && refs.has(head) ? head.slice("refs/heads/".length) : undefined;
      if (refs.has(`refs/heads/${branch}`)) return branch;
      if (refs.size === 0) return undefined;
      throw new DiscoveryError(`${field}.branch: the branch "${branch}" does not exist in ${remote.url}; fix the branch name or leave it out to follow the default branch`, false);
    },

    async *branchCommits(branch, pageSize) {
      const ref = `refs/heads/${branch}`;
      // One more generation than is listed, so the oldest listed commit still has its parent to diff against.
      const extra = options.needPaths ? 1 : 0;
      let fetched = 0;
      let complete = false;
      for (let offset = 0; offset < MAX_SCANNED_COMMITS; offset += pageSize) {
        const wanted = offset + pageSize + extra;
        if (!complete && wanted > fetched) {
          const depth = Math.min(Math.max(wanted, fetched * 2), MAX_SCANNED_COMMITS + extra);
          await fetchRefs([ref], depth);
          fetched = depth;
          complete = Number((await git(["rev-list", "--count", ref])).trim()) < depth;
        }
        const page = parseCommits(await git(["log", `--format=${COMMIT_FORMAT}`, `--skip=${offset}`, `--max-count=${pageSize}`, ref, "--"]));
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
      }
    },

    async listTags() {
      const { refs } = await readAdvertisedRefs();
      return [...refs.keys()].filter((ref) => ref.startsWith("refs/tags/")).map((ref) => ref.slice("refs/tags/".length));
    },

    async tagDates(tags) {
      if (tags.length === 0) return new Map();
      // Every tag at depth 1 without trees is small (one commit and one tag object each), so fetch them all at once.
      await git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--depth=1", "--filter=tree:0", remote.url, "+refs/tags/*:refs/tags/*"]);
      const wanted = new Set(tags);
      const dates = new Map<string, string>();
      for (const entry of await readTagEntries(git)) if (wanted.has(entry.tag) && entry.commit) dates.set(entry.tag, entry.createdAt);
      return dates;
    },

    async tagCommits(tags) {
      await fetchRefs(
        tags.map((tag) => `refs/tags/${tag}`),
        options.needPaths ? 2 : 1,
      );
      const wanted = new Set(tags);
      const entries = (await readTagEntries(git)).filter((e) => wanted.has(e.tag) && e.commit);
      const commits = new Map((await readCommits([...new Set(entries.map((e) => e.commit!))])).map((c) => [c.id, c]));
      const result = new Map<string, TaggedCommit>();
      for (const entry of entries) {
        const commit = commits.get(entry.commit!);
        if (commit) result.set(entry.tag, { commit, createdAt: entry.createdAt });
      }
      return result;
    },

    async changedPaths(commitIds) {
      const result = new Map<string, string[]>();
      if (commitIds.length === 0) return result;
      // First-parent diffs: a merge counts as the change it brought into the branch.
      const out = await git(["log", "--no-walk=unsorted", "--format=%x1e%H", "--name-only", "-z", "--diff-merges=first-parent", "--root", ...commitIds, "--"]);
      // Each commit reads "\x1e<sha>\0\n<path>\0<path>\0…"; an empty commit has no paths.
      for (const chunk of out.split("\x1e").slice(1)) {
        const end = chunk.indexOf("\0");
        if (end === -1) {
          result.set(chunk.trim(), []);
          continue;
        }
        result.set(chunk.slice(0, end), chunk.slice(end + 1).replace(/^\n/, "").split("\0").filter(Boolean));
      }
      return result;
    },

    async close() {
      await rm(home, { recursive: true, force: true });
    },
  };
}

/**
 * git does its own DNS, so the host is checked here and git is pinned to the addresses checked
 * (see createGitRunner); redirects are off, so no other host is reached.
 */
async function checkRemoteHost(remote: GitRemote, network: NetworkPolicy | undefined, field: string): Promise<string[]> {
  try {
    return (await checkPublicHost(remote.hostname, remote.port, discoveryGuard(network))).map((a) => a.address);
  } catch (error) {
    if (error instanceof NonPublicAddressError) throw new DiscoveryError(`${field}: ${error.message}`, false);
    const code = (error as NodeJS.ErrnoException).code ?? "DNS error";
    throw new DiscoveryError(`${field}: the host ${remote.hostname} cannot be resolved (${code}); check the repoURL's host name. Discovery will retry.`, true);
  }
}

function parseCommits(out: string): CommitDetails[] {
  return out
    .split(RECORD)
    .slice(1)
    .map((record) => {
      const [id = "", authorName, authorEmail, committerName, committerEmail, date = "", ...message] = record.split("\0");
      return {
        id,
        message: message.join("\0"),
        author: formatSignature(authorName, authorEmail),
        committer: formatSignature(committerName, committerEmail),
        committedAt: toIsoDate(date),
      };
    });
}

interface TagEntry {
  tag: string;
  /** The commit the tag points at, peeled; undefined when it names a tree or blob. */
  commit?: string;
  createdAt: string;
}

async function readTagEntries(git: (args: string[]) => Promise<string>): Promise<TagEntry[]> {
  const out = await git(["for-each-ref", "--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(creatordate:iso-strict)", "refs/tags/"]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [ref = "", type, sha, peeledType, peeledSha, date = ""] = line.split("\0");
      const commit = type === "commit" ? sha : peeledType === "commit" ? peeledSha : undefined;
      return { tag: ref.slice("refs/tags/".length), ...(commit ? { commit } : {}), createdAt: toIsoDate(date) };
    });
}
