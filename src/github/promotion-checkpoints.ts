import type { CheckRunFacts } from "../records/define-record.js";
import { formatCheckpoint, parseCheckpoint, type PromotionCheckpoint } from "../records/promotion-checkpoint.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

/**
 * The check run on a promotion pull request's head that carries the promotion's progress (the
 * record itself, and what is done with one that cannot be trusted: records/promotion-checkpoint.ts).
 * It lives in a check run because only the App that created a check run can change it: nobody can
 * edit it into another promotion.
 */
export const promotionCheckName = (stage: string) => `stagecoach/promotion ${stage}`;

/**
 * Writes the checkpoint of a promotion that now waits for its pull request to be merged, as a
 * finished check run on the pull request's head: green means the steps before the merge passed.
 */
export async function writePromotionCheckpoint(client: GitHubClient, repo: RepoRef, headSha: string, checkpoint: PromotionCheckpoint, key?: Buffer): Promise<void> {
  const { text, complete } = formatCheckpoint(checkpoint, key);
  const label = checkpoint.freight.alias ?? checkpoint.freight.name.slice(0, 12);
  const done = checkpoint.state.steps.filter((s) => s.phase === "Succeeded" || s.phase === "Skipped").length;
  await client.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: promotionCheckName(checkpoint.stage),
    head_sha: headSha,
    external_id: checkpoint.promotionId,
    status: "completed",
    conclusion: "success",
    output: {
      title: `${label} → ${checkpoint.stage}: ready to merge`,
      summary: `${done} of ${checkpoint.state.steps.length} steps of promotion \`${checkpoint.promotionId}\` are done; merging this pull request lets the rest run.${complete ? "" : " (Its workspace was too large to record here; if it must be resumed elsewhere, its steps run again.)"}`,
      text,
    },
  });
}

/** The newest checkpoint the App wrote for a stage on a commit that it can trust; undefined when there is none. */
export async function readPromotionCheckpoint(client: GitHubClient, repo: RepoRef, sha: string, stage: string, appId?: number, key?: Buffer): Promise<PromotionCheckpoint | undefined> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: sha,
    check_name: promotionCheckName(stage),
    filter: "all",
    per_page: 20,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  const trust = { ...(appId !== undefined ? { appId } : {}), ...(key ? { key } : {}) };
  for (const run of (data.check_runs as CheckRunFacts[]).sort((a, b) => b.id - a.id)) {
    const read = parseCheckpoint(run, trust);
    if (read.ok) return read.value;
  }
  return undefined;
}
