import type { PromotionState } from "./types.js";

/** Steps whose `commit` output is what reached the stage's branch: a merged pull request, or a direct push. */
const LANDING_STEPS = ["git-wait-for-pr", "git-merge-pr", "git-push"];

/**
 * The commit a finished promotion put on the stage's branch: the merge commit when it went through
 * a pull request, else the pushed commit. A push that a pull request was then opened (or tried)
 * from landed nothing: its commit is on a promotion branch. Undefined when no step landed anything
 * (a dry run, a promotion that only talks to Argo CD, a pull request that could not be opened).
 */
export function landedCommit(state: PromotionState): string | undefined {
  const openedPullRequest = state.steps.some((step) => step.uses === "git-open-pr" && step.phase !== "Pending" && step.phase !== "Skipped");
  for (const step of [...state.steps].reverse()) {
    if (step.phase !== "Succeeded" || !LANDING_STEPS.includes(step.uses)) continue;
    if (step.uses === "git-push" && openedPullRequest) continue;
    const commit = step.outputs?.commit;
    if (typeof commit === "string" && /^[0-9a-f]{40}$/.test(commit)) return commit;
  }
  return undefined;
}
