import { closePullRequest, listOpenPromotions } from "../github/open-promotions.js";
import { promotionTrust } from "../records/recognise-promotion-pull-request.js";
import { renderComment } from "../render/render-comment.js";
import { freightLabel } from "./freight-words.js";
import type { Command, CommandSpec } from "./types.js";

type Abort = Extract<Command, { name: "abort" }>;

/**
 * `/abort [stage]`: closes the stage's open promotion pull requests, which ends their promotions
 * as Aborted (each pull request then says so). A merged promotion is not taken back this way.
 */
export const abortCommand: CommandSpec<Abort> = {
  name: "abort",
  usage: "/abort [stage]",
  summary: "abort the running promotion (on a promotion pull request the stage can be left out)",
  permission: "promoters",
  arguments: [{ name: "stage", kind: "stage", optional: true }],
  stage: "named-or-pull-request",
  onPromotionPullRequest: true,
  build: (values) => ({ name: "abort", stage: values.stage }),
  describe: (_command, stage) => `abort the promotion to ${stage}`,
  async run({ deps, octokit, request, project, stage, view }) {
    if (!stage) return { answer: "" };
    const repo = { owner: request.owner, repo: request.repo };
    const trust = await promotionTrust(deps, request.owner, request.repo);
    const open = (await listOpenPromotions(octokit, repo, project.name, (await view()).freight, trust)).filter((p) => p.stage === stage.name);
    if (open.length === 0) return { answer: `Nothing to abort: no promotion to ${stage.name} is waiting on an open pull request. (A merged promotion is undone with \`/rollback ${stage.name}\`.)` };
    for (const promotion of open) await closePullRequest(octokit, repo, promotion.pullRequest);
    return { answer: open.map((p) => `${renderComment("aborting", { actor: request.author, stage: stage.name, alias: freightLabel(p.freight) })} (#${p.pullRequest} closed)`).join("\n") };
  },
};
