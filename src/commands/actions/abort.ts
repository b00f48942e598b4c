import { closePullRequest, listOpenPromotions } from "../../github/open-promotions.js";
import { promotionTrust } from "../../records/recognise-promotion-pull-request.js";
import { renderComment } from "../../render/render-comment.js";
import type { Command } from "../types.js";
import { freightLabel } from "./shared.js";
import type { CommandAction } from "./types.js";

/**
 * `/abort <stage>`: closes the stage's open promotion pull requests, which ends their promotions
 * as Aborted (each pull request then says so). A merged promotion is not taken back this way.
 */
export const abortAction: CommandAction<Extract<Command, { name: "abort" }>> = async ({ deps, octokit, request, project, stage, view }) => {
  if (!stage) return "";
  const repo = { owner: request.owner, repo: request.repo };
  const open = (await listOpenPromotions(octokit, repo, project.name, (await view()).freight, await promotionTrust(deps, request.owner, request.repo))).filter((p) => p.stage === stage.name);
  if (open.length === 0) return `Nothing to abort: no promotion to ${stage.name} is waiting on an open pull request. (A merged promotion is undone with \`/rollback ${stage.name}\`.)`;
  for (const promotion of open) await closePullRequest(octokit, repo, promotion.pullRequest);
  return open.map((p) => `${renderComment("aborting", { actor: request.author, stage: stage.name, alias: freightLabel(p.freight) })} (#${p.pullRequest} closed)`).join("\n");
};
