import type { ApprovalCount, Review } from "../pipeline/count-approvals.js";
import type { PullRequestFacts } from "../records/recognise-promotion-pull-request.js";
import type { InstallationOctokit } from "./installations.js";

export const APPROVAL_STATUS_CONTEXT = "stagecoach/approval";

interface RepoRef {
  owner: string;
  repo: string;
}

export interface PromotionPullRequest {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  headRef: string;
  headSha: string;
  author: string;
  htmlUrl: string;
  /** What recognisePromotionPullRequest judges it by. */
  facts: PullRequestFacts;
}

export async function readPromotionPullRequest(octokit: InstallationOctokit, repo: RepoRef, number: number): Promise<PromotionPullRequest> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return {
    number: data.number,
    state: data.state as "open" | "closed",
    merged: data.merged,
    headRef: data.head.ref,
    headSha: data.head.sha,
    author: data.user.login,
    htmlUrl: data.html_url,
    facts: {
      number: data.number,
      body: data.body,
      user: { login: data.user.login, type: data.user.type },
      head: { ref: data.head.ref, repo: data.head.repo ? { full_name: data.head.repo.full_name } : null },
      base: { repo: { full_name: data.base.repo.full_name } },
    },
  };
}

/** The open pull request from a branch of this repository, if there is one. */
export async function findOpenPullRequest(octokit: InstallationOctokit, repo: RepoRef, headRef: string): Promise<number | undefined> {
  const { data } = await octokit.rest.pulls.list({ ...repo, state: "open", head: `${repo.owner}:${headRef}`, per_page: 5 });
  return data.find((pull) => pull.head.ref === headRef)?.number;
}

/** Every submitted review of the pull request, oldest first (pending drafts are never listed to the App). */
export async function listReviews(octokit: InstallationOctokit, repo: RepoRef, number: number): Promise<Review[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: number, per_page: 100 });
  return reviews.map((r) => ({ id: r.id, user: r.user ? { login: r.user.login } : null, state: r.state, submitted_at: r.submitted_at ?? null }));
}

/** Writes the `stagecoach/approval` commit status, which branch protection can require. */
export async function setApprovalStatus(octokit: InstallationOctokit, repo: RepoRef, sha: string, count: ApprovalCount, targetUrl: string): Promise<void> {
  await octokit.rest.repos.createCommitStatus({ ...repo, sha, state: count.commitState, context: APPROVAL_STATUS_CONTEXT, description: count.description, target_url: targetUrl });
}

export type MergeOutcome = { merged: true; sha: string } | { merged: false; reason: string };

/**
 * Merges an approved promotion pull request at the head that was approved. GitHub refuses (405)
 * while branch protection is unmet, and 409 when the head moved: both wait for the next event.
 */
export async function mergeApprovedPullRequest(octokit: InstallationOctokit, repo: RepoRef, number: number, headSha: string, method: "merge" | "squash" | "rebase"): Promise<MergeOutcome> {
  try {
    // 405 (protection unmet) and 409 (head moved) are answers, not outages: Octokit's retry plugin would wait them out for seconds.
    const { data } = await octokit.rest.pulls.merge({ ...repo, pull_number: number, sha: headSha, merge_method: method, request: { retries: 0 } });
    return { merged: true, sha: data.sha };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 405 || status === 409 || status === 422) return { merged: false, reason: (error as Error).message };
    throw error;
  }
}
