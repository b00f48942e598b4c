import type { FreightRecord } from "../freight/types.js";
import type { OpenPromotion } from "../pipeline/supersede.js";
import { recognisePromotionPullRequest, type PromotionTrust, type PullRequestFacts } from "../records/recognise-promotion-pull-request.js";
import type { PromotionMetadata } from "../records/promotion-metadata.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

interface ListedPull extends PullRequestFacts {
  created_at: string;
  merged_at?: string | null;
  head: PullRequestFacts["head"] & { sha: string };
}

/** An open pull request that is one of the App's promotions, with what its metadata block says. */
export interface OpenPromotionPull {
  number: number;
  headSha: string;
  createdAt: string;
  metadata: PromotionMetadata;
}

/**
 * The App's promotions whose pull requests are open in a repository: pull requests it opened from
 * a branch of this repository with a metadata block it signed for them. A person's pull request
 * (or a fork's) with a copied or invented block is not one, and never blocks or redirects a stage.
 */
export async function listOpenPromotionPulls(client: GitHubClient, repo: RepoRef, trust: PromotionTrust): Promise<OpenPromotionPull[]> {
  const open: OpenPromotionPull[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: 100, page });
    for (const pull of data as ListedPull[]) {
      const recognised = recognisePromotionPullRequest(pull, trust);
      if (recognised.ok) open.push({ number: pull.number, headSha: pull.head.sha, createdAt: pull.created_at, metadata: recognised.metadata });
    }
    if (data.length < 100) return open;
  }
}

/**
 * The project's open promotions, as supersede() weighs them. Freight creation times come from
 * the freight records (the pull request's own time when the freight is unknown).
 */
export async function listOpenPromotions(client: GitHubClient, repo: RepoRef, project: string, freight: Array<Pick<FreightRecord, "name" | "createdAt">>, trust: PromotionTrust): Promise<OpenPromotion[]> {
  return (await listOpenPromotionPulls(client, repo, trust))
    .filter((pull) => pull.metadata.project === project)
    .map(({ number, createdAt, metadata }) => {
      const record = freight.find((f) => f.name === metadata.freight);
      return {
        id: metadata.promotion,
        stage: metadata.stage,
        pullRequest: number,
        freight: { name: metadata.freight, ...(metadata.alias ? { alias: metadata.alias } : {}), createdAt: record?.createdAt ?? createdAt, origin: { kind: "Warehouse", name: metadata.warehouse } },
        merged: false,
      };
    });
}

/** Marks a promotion pull request closed because newer freight took its place (not a person's "no"). */
export const SUPERSEDED_LABEL = "stagecoach:superseded";

/** Closes a superseded promotion's pull request, saying which freight replaces it and why. */
export async function closeSupersededPromotion(client: GitHubClient, repo: RepoRef, number: number, explanation: string): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: number, body: explanation });
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: number, labels: [SUPERSEDED_LABEL] });
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number, state: "closed" });
}

/** Whether a closed promotion pull request was closed as superseded (by the label closeSupersededPromotion adds). */
export async function wasSuperseded(client: GitHubClient, repo: RepoRef, number: number): Promise<boolean> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: number, per_page: 100 });
  return (data as Array<{ name: string }>).some((label) => label.name === SUPERSEDED_LABEL);
}

/** Closes a promotion pull request without merging (its promotion then ends Aborted). */
export async function closePullRequest(client: GitHubClient, repo: RepoRef, number: number): Promise<void> {
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number, state: "closed" });
}

export interface MergedPull {
  number: number;
  headSha: string;
  mergedAt: string;
  metadata: PromotionMetadata;
}

/** The repository's most recently updated merged pull requests that are the App's promotions. */
export async function listRecentlyMergedPromotions(client: GitHubClient, repo: RepoRef, limit: number, trust: PromotionTrust): Promise<MergedPull[]> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "closed", sort: "updated", direction: "desc", per_page: limit });
  return (data as ListedPull[]).flatMap((pull) => {
    if (!pull.merged_at) return [];
    const recognised = recognisePromotionPullRequest(pull, trust);
    return recognised.ok ? [{ number: pull.number, headSha: pull.head.sha, mergedAt: pull.merged_at, metadata: recognised.metadata }] : [];
  });
}
