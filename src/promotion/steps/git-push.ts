import { z } from "zod";
import { promotionBranchName } from "../promotion-branch.js";
import { defineStep } from "../step-definition.js";
import { gitProvider } from "../step-support/config-fields.js";
import { StepFailure } from "../step-failure.js";

const schema = z
  .strictObject({
    path: z.string().min(1),
    targetBranch: z.string().min(1).optional(),
    generateTargetBranch: z.boolean().optional(),
    tag: z.string().min(1).optional(),
    // Ignored: a push that lost a race to another commit is tried 3 times, whatever this says.
    maxAttempts: z.number().int().positive().optional(),
    // Ignored: Stagecoach knows the host from the checkout's repoURL.
    provider: gitProvider.optional(),
    // Ignored: a push never overwrites the branch; it goes on top of what is there.
    force: z.boolean().optional(),
  })
  .refine((c) => [c.targetBranch, c.generateTargetBranch, c.tag].filter((v) => v !== undefined && v !== false).length <= 1, "set only one of targetBranch, generateTargetBranch or tag");

/**
 * Pushes a checkout's commit. Pushing the same content again (a resumed promotion) adopts the
 * commit already there instead of making a second one.
 */
export const gitPush = defineStep({
  uses: "git-push",
  config: schema,
  async run(config, env) {
    const result = await env.workspace.push(config.path, {
      ...(config.targetBranch ? { targetBranch: config.targetBranch } : {}),
      ...(config.generateTargetBranch ? { generatedBranch: promotionBranchName(env.promotion.id) } : {}),
      ...(config.tag ? { tag: config.tag } : {}),
    });
    if (!result.commit) throw new StepFailure("push produced no commit");
    return { phase: "Succeeded", outputs: { branch: result.branch, commit: result.commit, commitURL: result.commitURL ?? "" } };
  },
});
