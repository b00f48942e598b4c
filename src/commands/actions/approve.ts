import { recordManualApproval } from "../../github/freight-approvals.js";
import { renderComment } from "../../render/render-comment.js";
import { resolveFreight } from "../resolve-freight.js";
import type { Command } from "../types.js";
import { freightLabel } from "./shared.js";
import type { CommandAction } from "./types.js";

/**
 * `/approve <freight> <stage>`: Kargo's manual approval. The freight becomes available to the
 * stage without upstream verification or soak, recorded as a check run on its record. It is not
 * auto-promoted: the approver promotes it when they mean to.
 */
export const approveAction: CommandAction<Extract<Command, { name: "approve" }>> = async ({ command, octokit, request, stage, view }) => {
  if (!stage) return "";
  const pipeline = await view();
  const found = resolveFreight(command.freight, pipeline.freight);
  if (!found.ok) return found.message;
  const freight = pipeline.freight.find((f) => f.name === found.freight.name)!;
  const alias = freightLabel(freight);
  if (freight.status.approvedFor?.[stage.name]) return `**${alias}** is already approved for **${stage.name}** (since ${freight.status.approvedFor[stage.name]!.approvedAt}); \`/promote ${stage.name} ${alias}\` promotes it.`;
  if (!freight.commit) return `**${alias}** has no record on \`refs/stagecoach/freight/${request.repo}\` to approve; it cannot be approved.`;
  await recordManualApproval(octokit, { owner: request.owner, repo: request.repo }, freight.commit, stage.name, request.author, alias);
  return `${renderComment("approved", { actor: request.author, stage: stage.name, alias })} Promote it with \`/promote ${stage.name} ${alias}\` (auto-promotion never picks hand-approved freight).`;
};
