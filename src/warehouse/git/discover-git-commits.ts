import type { GitSubscription } from "../../config/model/warehouse.js";
import type { GitHubClient } from "../../github/git-data.js";
import type { NetworkPolicy } from "../../network/types.js";
import type { CredentialLookup, DiscoveredCommit } from "../types.js";
import { compilePathFilters, type PathFilter } from "./compile-path-filters.js";
import { createGitCliSource } from "./create-git-cli-source.js";
import { createGitHubSource } from "./create-github-source.js";
import { MAX_SCANNED_COMMITS, type CommitDetails, type GitSource } from "./git-source.js";
import { displayRepoURL, gitHubRepositoryOf } from "./parse-git-url.js";
import { compileTagRanking, type TagRanking } from "./rank-tags.js";

export interface DiscoverGitCommitsOptions {
  /** Repositories whose URL host equals `host` are read through this client's REST API. */
  github?: { client: GitHubClient; host: string };
  /** Credentials for repositories read with git (outside GitHub). */
  credentials?: CredentialLookup;
  network?: NetworkPolicy;
  signal?: AbortSignal;
  /** Where the subscription sits in the config, for messages; `git <repoURL>` when absent. */
  field?: string;
}

// Path filters read changed files a page of history at a time.
const FILTERED_PAGE_SIZE = 100;
// Kargo keeps commit subjects short: freight records carry them.
const MAX_MESSAGE_LENGTH = 80;

/**
 * The newest commits a git subscription offers, best first, at most `discoveryLimit`, with Kargo's
 * strategies: NewestFromBranch (the branch's history), or SemVer, Lexical and NewestTag (tagged
 * commits), each narrowed by includePaths/excludePaths. Repositories on GitHub go through its API;
 * any other host through the git CLI.
 */
export async function discoverGitCommits(subscription: GitSubscription, options: DiscoverGitCommitsOptions = {}): Promise<DiscoveredCommit[]> {
  const field = options.field ?? `git ${displayRepoURL(subscription.repoURL)}`;
  const pathFilter = compilePathFilters(subscription.includePaths, subscription.excludePaths, field);
  const ranking = subscription.commitSelectionStrategy === "NewestFromBranch" ? undefined : compileTagRanking(subscription, field);
  const source = await openSource(subscription, options, field, pathFilter !== undefined);
  try {
    return ranking ? await discoverTaggedCommits(subscription, source, ranking, pathFilter) : await discoverBranchCommits(subscription, source, pathFilter);
  } finally {
    await source.close();
  }
}

function openSource(subscription: GitSubscription, options: DiscoverGitCommitsOptions, field: string, needPaths: boolean): Promise<GitSource> {
  const onGitHub = options.github ? gitHubRepositoryOf(subscription.repoURL, options.github.host) : undefined;
  if (options.github && onGitHub) {
    return Promise.resolve(createGitHubSource(options.github.client, onGitHub, { host: options.github.host, field, ...(options.signal ? { signal: options.signal } : {}) }));
  }
  return createGitCliSource(subscription.repoURL, {
    field,
    needPaths,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(subscription.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function discoverBranchCommits(subscription: GitSubscription, source: GitSource, pathFilter: PathFilter | undefined): Promise<DiscoveredCommit[]> {
  const limit = subscription.discoveryLimit;
  const branch = await source.resolveBranch(subscription.branch);
  if (!branch) return [];
  const found: CommitDetails[] = [];
  let scanned = 0;
  for await (const page of source.branchCommits(branch, pathFilter ? FILTERED_PAGE_SIZE : limit)) {
    const paths = pathFilter ? await source.changedPaths(page.map((c) => c.id)) : undefined;
    found.push(...page.filter((c) => !pathFilter || pathFilter(paths?.get(c.id) ?? [])));
    scanned += page.length;
    if (found.length >= limit || scanned >= MAX_SCANNED_COMMITS) break;
  }
  return found.slice(0, limit).map((commit) => toDiscovered(subscription.repoURL, commit, { branch }, commit.committedAt));
}

async function discoverTaggedCommits(subscription: GitSubscription, source: GitSource, ranking: TagRanking, pathFilter: PathFilter | undefined): Promise<DiscoveredCommit[]> {
  const limit = subscription.discoveryLimit;
  const ordered = await ranking(await source.listTags(), source);
  const found: DiscoveredCommit[] = [];
  // Walk the ranking a batch at a time: most subscriptions need one batch; path filters may need more.
  const end = pathFilter ? Math.min(ordered.length, MAX_SCANNED_COMMITS) : ordered.length;
  for (let start = 0; start < end && found.length < limit; start += limit) {
    const batch = ordered.slice(start, Math.min(start + limit, end));
    const tagged = await source.tagCommits(batch);
    const paths = pathFilter ? await source.changedPaths([...new Set([...tagged.values()].map((t) => t.commit.id))]) : undefined;
    for (const tag of batch) {
      const entry = tagged.get(tag);
      if (!entry || found.length >= limit) continue;
      if (pathFilter && !pathFilter(paths?.get(entry.commit.id) ?? [])) continue;
      found.push(toDiscovered(subscription.repoURL, entry.commit, { tag }, entry.createdAt));
    }
  }
  return found;
}

function toDiscovered(repoURL: string, commit: CommitDetails, ref: { branch: string } | { tag: string }, createdAt: string): DiscoveredCommit {
  return { repoURL, id: commit.id, ...ref, message: subjectOf(commit.message), author: commit.author, committer: commit.committer, createdAt };
}

function subjectOf(message: string): string {
  const line = message.trim().split("\n", 1)[0]?.trim() ?? "";
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
}
