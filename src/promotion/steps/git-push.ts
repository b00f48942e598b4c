import { z } from "zod";
import { promotionBranchName } from "../promotion-branch.js";
import { defineStep, StepFailure } from "./step.js";

const schema = z
  .object({
    path: z.string().min(1),
    targetBranch: z.string().min(1).optional(),
    generateTargetBranch: z.boolean().optional(),
    tag: z.string().min(1).optional(),
    maxAttempts: z.number().int().positive().optional(),
  })
  .refine((c) => [c.targetBranch, c.generateTargetBranch, c.tag].filter(Boolean).length <= 1, "set only one of targetBranch, generateTargetBranch or tag");

/**
 * Pushes a checkout's commit. Pushing the same content again (a resumed promotion) adopts the
 * commit already there instead of making a second one.
 */
export const gitPush = defineStep(schema, async (config, env) => {
  const result = await env.workspace.push(config.path, {
    ...(config.targetBranch ? { targetBranch: config.targetBranch } : {}),
    ...(config.generateTargetBranch ? { generatedBranch: promotionBranchName(env.promotion.id) } : {}),
    ...(config.tag ? { tag: config.tag } : {}),
  });
  if (!result.commit) throw new StepFailure("push produced no commit");
  return { phase: "Succeeded", outputs: { branch: result.branch, commit: result.commit, commitURL: result.commitURL ?? "" } };
});
