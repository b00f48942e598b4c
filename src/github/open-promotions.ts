import type { FreightRecord } from "../freight/types.js";
import type { OpenPromotion } from "../pipeline/supersede.js";
import { parseMetadata } from "../render/index.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

interface OpenPull {
  number: number;
  body: string | null;
  created_at: string;
  user: { type?: string } | null;
  head: { repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}

/**
 * The project's promotions whose pull requests are open, read from GitHub: open pull requests
 * whose metadata block belongs to this project. The block is in the body from the moment the pull
 * request exists (labels follow a moment later, and people may remove them), so it alone decides. Freight creation times come
 * from the freight records (the pull request's own time when the freight is unknown).
 */
export async function listOpenPromotions(client: GitHubClient, repo: RepoRef, project: string, freight: Array<Pick<FreightRecord, "name" | "createdAt">>): Promise<OpenPromotion[]> {
  const open: OpenPromotion[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: 100, page });
    for (const pull of data as OpenPull[]) {
      // Promotions are opened by the App from a branch of this repository; a person's pull request
      // (or a fork's) with a copied metadata block must not block or redirect a stage.
      if (pull.user?.type !== "Bot" || pull.head.repo?.full_name !== pull.base.repo.full_name) continue;
      const parsed = parseMetadata(pull.body);
      if (!parsed.ok || parsed.metadata.project !== project) continue;
      const { metadata } = parsed;
      const record = freight.find((f) => f.name === metadata.freight);
      open.push({
        id: metadata.promotion,
        stage: metadata.stage,
        pullRequest: pull.number,
        freight: { name: metadata.freight, ...(metadata.alias ? { alias: metadata.alias } : {}), createdAt: record?.createdAt ?? pull.created_at, origin: { kind: "Warehouse", name: metadata.warehouse } },
        merged: false,
      });
    }
    if (data.length < 100) return open;
  }
}

/** Closes a superseded promotion's pull request, saying which freight replaces it and why. */
/** Marks a promotion pull request closed because newer freight took its place (not a person's "no"). */
export const SUPERSEDED_LABEL = "stagecoach:superseded";

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
  headRef: string;
  headSha: string;
  mergedAt: string;
}

/** The repository's most recently updated closed pull requests that were merged (promotion or not; the caller tells). */
export async function listRecentlyMergedPulls(client: GitHubClient, repo: RepoRef, limit: number): Promise<MergedPull[]> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "closed", sort: "updated", direction: "desc", per_page: limit });
  return (data as Array<{ number: number; head: { ref: string; sha: string }; merged_at: string | null }>).flatMap((pull) =>
    pull.merged_at ? [{ number: pull.number, headRef: pull.head.ref, headSha: pull.head.sha, mergedAt: pull.merged_at }] : [],
  );
}
