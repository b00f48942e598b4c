import { z } from "zod";
import { pullRequestTarget } from "../step-support/config-fields.js";
import { requirePullRequests } from "../step-support/require-pull-requests.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  ...pullRequestTarget,
  prNumber: z.number().int().positive(),
  mergeMethod: z.enum(["merge", "squash", "rebase"]).default("merge"),
  wait: z.boolean().default(false),
});

/** Merges a pull request (already merged counts as done, so reruns are harmless). */
export const gitMergePr = defineStep({
  uses: "git-merge-pr",
  config: schema,
  async run(config, env) {
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
  },
});
