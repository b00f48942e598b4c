import { recordManualApproval } from "../github/freight-approvals.js";
import { renderComment } from "../render/render-comment.js";
import { freightLabel } from "./freight-words.js";
import { resolveFreight } from "./resolve-freight.js";
import type { Command, CommandSpec } from "./types.js";

type Approve = Extract<Command, { name: "approve" }>;

/**
 * `/approve <freight> <stage>`: Kargo's manual approval. The freight becomes available to the
 * stage without upstream verification or soak, recorded as a check run on its record. It is not
 * auto-promoted: the approver promotes it when they mean to.
 */
export const approveCommand: CommandSpec<Approve> = {
  name: "approve",
  usage: "/approve <freight> <stage>",
  summary: "approve freight for a stage by hand, so it is available there without upstream verification or soak",
  permission: "approvers",
  arguments: [
    { name: "freight", kind: "freight" },
    { name: "stage", kind: "stage" },
  ],
  stage: "named",
  onPromotionPullRequest: false,
  build: (values) => ({ name: "approve", freight: values.freight as string, stage: values.stage as string }),
  describe: (_command, stage) => `approve freight for ${stage}`,
  async run({ command, octokit, request, stage, view }) {
    if (!stage) return { answer: "" };
    const pipeline = await view();
    const found = resolveFreight(command.freight, pipeline.freight);
    if (!found.ok) return { answer: found.message };
    const freight = pipeline.freight.find((f) => f.name === found.freight.name)!;
    const alias = freightLabel(freight);
    const approved = freight.status.approvedFor?.[stage.name];
    if (approved) return { answer: `**${alias}** is already approved for **${stage.name}** (since ${approved.approvedAt}); \`/promote ${stage.name} ${alias}\` promotes it.` };
    if (!freight.commit) return { answer: `**${alias}** has no record on \`refs/stagecoach/freight/${request.repo}\` to approve; it cannot be approved.` };
    await recordManualApproval(octokit, { owner: request.owner, repo: request.repo }, freight.commit, stage.name, request.author, alias);
    return { answer: `${renderComment("approved", { actor: request.author, stage: stage.name, alias })} Promote it with \`/promote ${stage.name} ${alias}\` (auto-promotion never picks hand-approved freight).` };
  },
};
