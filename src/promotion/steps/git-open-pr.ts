import { z } from "zod";
import { promotionBranchName } from "../promotion-branch.js";
import { pullRequestTarget } from "../step-support/config-fields.js";
import { requirePullRequests } from "../step-support/require-pull-requests.js";
import { defineStep } from "../step-definition.js";

const schema = z.strictObject({
  ...pullRequestTarget,
  sourceBranch: z.string().min(1).optional(),
  targetBranch: z.string().min(1).default("main"),
  // Ignored: the target branch must exist; the pull request is opened against it as it is.
  createTargetBranch: z.boolean().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  labels: z.array(z.string().min(1)).optional(),
});

/** Opens a pull request, or finds the one it opened before, open or merged (a resumed promotion opens no second PR). */
export const gitOpenPr = defineStep({
  uses: "git-open-pr",
  config: schema,
  async run(config, env) {
    const service = requirePullRequests(env, "git-open-pr");
    const head = config.sourceBranch ?? promotionBranchName(env.promotion.id);
    const existing = await service.findExisting(config.repoURL, head, config.targetBranch);
    const pr =
      existing ??
      (await service.create(config.repoURL, {
        head,
        base: config.targetBranch,
        title: config.title ?? `Promote ${env.promotion.freight[0]?.alias ?? env.promotion.freight[0]?.name ?? "freight"} to ${env.promotion.stage}`,
        body: config.description ?? "",
        labels: config.labels ?? [],
      }));
    return { phase: "Succeeded", outputs: { pr: { id: pr.number, url: pr.url }, reused: existing !== undefined } };
  },
});
