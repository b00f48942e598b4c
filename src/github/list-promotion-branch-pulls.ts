import { parsePromotionBranch } from "../promotion/promotion-branch.js";
import { parseMetadata, type PromotionMetadata } from "../records/promotion-metadata.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

/**
 * An open pull request whose head is a promotion branch of this repository, as a reader without
 * the App's metadata key sees it. Nothing here is proof: anyone who may push a branch can open
 * one named like a promotion with a copied metadata block. The App itself only acts on pull
 * requests recognisePromotionPullRequest accepts; tools outside it (the `stagecoach status`
 * command) show these as labels, marked unverified.
 */
export interface PromotionBranchPull {
  number: number;
  url: string;
  branch: string;
  project: string;
  stage: string;
  author: { login: string; bot: boolean };
  createdAt: string;
  /** What the metadata block says, read without checking its signature; undefined when there is none that parses. */
  claims?: Pick<PromotionMetadata, "freight" | "alias" | "warehouse" | "promotion">;
}

interface ListedPull {
  number: number;
  html_url: string;
  body: string | null;
  created_at: string;
  user: { login: string; type?: string } | null;
  head: { ref: string; repo: { full_name: string } | null };
}

const PAGE = 100;
/** A repository with more open pull requests than this is not read further. */
const MAX_PAGES = 10;

export async function listPromotionBranchPulls(client: GitHubClient, repo: RepoRef): Promise<PromotionBranchPull[]> {
  const fullName = `${repo.owner}/${repo.repo}`.toLowerCase();
  const found: PromotionBranchPull[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: PAGE, page });
    for (const pull of data as ListedPull[]) {
      const branch = parsePromotionBranch(pull.head.ref);
      if (!branch || pull.head.repo?.full_name.toLowerCase() !== fullName) continue;
      const parsed = parseMetadata(pull.body);
      found.push({
        number: pull.number,
        url: pull.html_url,
        branch: pull.head.ref,
        project: branch.project,
        stage: branch.stage,
        author: { login: pull.user?.login ?? "ghost", bot: pull.user?.type === "Bot" },
        createdAt: pull.created_at,
        ...(parsed.ok ? { claims: { freight: parsed.metadata.freight, warehouse: parsed.metadata.warehouse, promotion: parsed.metadata.promotion, ...(parsed.metadata.alias ? { alias: parsed.metadata.alias } : {}) } } : {}),
      });
    }
    if (data.length < PAGE) break;
  }
  return found;
}
