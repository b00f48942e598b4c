import { z } from "zod";
import { requirePullRequests } from "./require-pull-requests.js";
import { defineStep, StepFailure } from "./step.js";

const schema = z.object({
  repoURL: z.string().min(1),
  prNumber: z.number().int().positive(),
  mergeMethod: z.enum(["merge", "squash", "rebase"]).default("merge"),
  wait: z.boolean().default(false),
});

/** Merges a pull request (already merged counts as done, so reruns are harmless). */
export const gitMergePr = defineStep(schema, async (config, env) => {
  const service = requirePullRequests(env, "git-merge-pr");
  const pr = await service.get(config.repoURL, config.prNumber);
  if (pr.merged) return { phase: "Succeeded", outputs: { commit: pr.mergeCommit ?? "" } };
  if (pr.state === "closed") throw new StepFailure(`pull request #${pr.number} (${pr.url}) is closed; reopen it or promote again`);
  try {
    const merged = await service.merge(config.repoURL, config.prNumber, config.mergeMethod);
    return { phase: "Succeeded", outputs: { commit: merged.mergeCommit ?? "" } };
  } catch (error) {
    // Not mergeable yet (checks or reviews pending): with wait, try again later instead of failing.
    if (config.wait) return { phase: "Running", message: `pull request #${pr.number} is not mergeable yet: ${(error as Error).message}` };
    throw error;
  }
});
