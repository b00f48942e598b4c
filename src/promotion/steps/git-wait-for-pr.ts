import { z } from "zod";
import { requirePullRequests } from "./require-pull-requests.js";
import { defineStep } from "./step.js";

const schema = z.object({ repoURL: z.string().min(1), prNumber: z.number().int().positive() });

/**
 * Waits for a pull request to merge: Running while open. Closed unmerged, someone decided against
 * this promotion, so it ends Aborted (not Failed: nothing went wrong).
 */
export const gitWaitForPr = defineStep(schema, async (config, env) => {
  const pr = await requirePullRequests(env, "git-wait-for-pr").get(config.repoURL, config.prNumber);
  if (pr.merged) return { phase: "Succeeded", outputs: { commit: pr.mergeCommit ?? "" } };
  if (pr.state === "closed") return { phase: "Aborted", message: `pull request #${pr.number} (${pr.url}) was closed without merging` };
  return { phase: "Running", message: `waiting for pull request #${pr.number} to be merged` };
});
