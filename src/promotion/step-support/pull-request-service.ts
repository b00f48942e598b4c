/** A pull request as the PR steps see it. */
export interface PullRequestInfo {
  number: number;
  url: string;
  state: "open" | "closed";
  merged: boolean;
  mergeCommit?: string;
  headBranch: string;
  baseBranch: string;
}

/**
 * The pull-request operations git-open-pr, git-wait-for-pr and git-merge-pr need, for the repo a
 * checkout came from. The GitHub implementation lives in src/github/pull-requests.ts.
 */
export interface PullRequestService {
  /**
   * The pull request from `head` into `base` that is open, or else one that was merged: a rerun
   * of a promotion (its state lost after the merge) finds its own pull request, never opens a second.
   */
  findExisting(repoURL: string, head: string, base: string): Promise<PullRequestInfo | undefined>;
  create(repoURL: string, input: { head: string; base: string; title: string; body: string; labels: string[] }): Promise<PullRequestInfo>;
  get(repoURL: string, number: number): Promise<PullRequestInfo>;
  merge(repoURL: string, number: number, method: "merge" | "squash" | "rebase"): Promise<PullRequestInfo>;
}
