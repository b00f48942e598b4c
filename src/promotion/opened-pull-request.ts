import type { PromotionState } from "./types.js";

/** The number of the pull request a promotion opened (git-open-pr's `pr.id` output), if it opened one. */
export function openedPullRequest(state: PromotionState): number | undefined {
  for (const step of state.steps) {
    if (step.uses !== "git-open-pr") continue;
    const pr = step.outputs?.pr;
    const id = pr && typeof pr === "object" && !Array.isArray(pr) ? pr.id : undefined;
    if (typeof id === "number" && Number.isInteger(id) && id > 0) return id;
  }
  return undefined;
}
