import { z } from "zod";
import { pullRequestTarget } from "../step-support/config-fields.js";
import { requirePullRequests } from "../step-support/require-pull-requests.js";
import { defineStep } from "../step-definition.js";

const schema = z.strictObject({ ...pullRequestTarget, prNumber: z.number().int().positive() });

/**
 * Waits for a pull request to merge: Running while open. Closed unmerged, someone decided against
 * this promotion, so it ends Aborted (not Failed: nothing went wrong).
 */
export const gitWaitForPr = defineStep({
  uses: "git-wait-for-pr",
  config: schema,
  async run(config, env) {
    const pr = await requirePullRequests(env, "git-wait-for-pr").get(config.repoURL, config.prNumber);
    if (pr.merged) return { phase: "Succeeded", outputs: { commit: pr.mergeCommit ?? "" } };
    if (pr.state === "closed") return { phase: "Aborted", message: `pull request #${pr.number} (${pr.url}) was closed without merging` };
    return { phase: "Running", message: `waiting for pull request #${pr.number} to be merged` };
  },
});
