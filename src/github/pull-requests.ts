import type { PullRequestInfo, PullRequestService } from "../promotion/step-support/pull-request-service.js";
import { StepFailure } from "../promotion/step-failure.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

interface PullData {
  number: number;
  html_url: string;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head: { ref: string };
  base: { ref: string };
}

/**
 * Pull requests on GitHub for the PR steps. `repoOf` turns a step's repoURL into owner/repo and
 * says so when the URL is not a GitHub repository.
 */
export function createPullRequestService(client: GitHubClient, repoOf: (repoURL: string) => RepoRef): PullRequestService {
  return {
    async findExisting(repoURL, head, base) {
      const repo = repoOf(repoURL);
      const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "all", head: `${repo.owner}:${head}`, base, per_page: 10 });
      const same = (data as PullData[]).filter((pr) => pr.head.ref === head && pr.base.ref === base);
      const found = same.find((pr) => pr.state === "open") ?? same.find((pr) => pr.merged_at);
      return found ? toInfo(found) : undefined;
    },
    async create(repoURL, input) {
      const repo = repoOf(repoURL);
      let data;
      try {
        ({ data } = await client.request("POST /repos/{owner}/{repo}/pulls", { ...repo, head: input.head, base: input.base, title: input.title, body: input.body }));
      } catch (error) {
        // The stage's files already say what this promotion would write: retrying cannot help.
        if ((error as { status?: number }).status === 422 && /No commits between/i.test((error as Error).message)) {
          throw new StepFailure(`nothing to promote: ${input.head} makes no change to ${input.base} (its files already match this freight), so no pull request can be opened`);
        }
        throw error;
      }
      if (input.labels.length > 0) {
        await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: data.number, labels: input.labels });
      }
      return toInfo(data as PullData);
    },
    async get(repoURL, number) {
      const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repoOf(repoURL), pull_number: number });
      return toInfo(data as PullData);
    },
    async merge(repoURL, number, method) {
      const repo = repoOf(repoURL);
      await client.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", { ...repo, pull_number: number, merge_method: method });
      const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number });
      return toInfo(data as PullData);
    },
  };
}

function toInfo(pr: PullData): PullRequestInfo {
  return {
    number: pr.number,
    url: pr.html_url,
    state: pr.state === "closed" ? "closed" : "open",
    merged: Boolean(pr.merged ?? pr.merged_at),
    ...(pr.merge_commit_sha ? { mergeCommit: pr.merge_commit_sha } : {}),
    headBranch: pr.head.ref,
    baseBranch: pr.base.ref,
  };
}
