/** Promotion pull requests come from `stagecoach/promotion/<project>/<stage>/<freight>` (git-push's generated branch). */
export const PROMOTION_BRANCH_PREFIX = "stagecoach/promotion/";

export interface PromotionBranch {
  /** `<project>/<stage>/<freight prefix>`: the promotion's ID. */
  promotionId: string;
  project: string;
  stage: string;
}

/**
 * The branch a promotion pushes to when its steps ask for a generated one (git-push's
 * `generateTargetBranch`, git-open-pr without `sourceBranch`): the same promotion always gives
 * the same branch, so a rerun finds what the first run pushed. The one place that names it.
 */
export function promotionBranchName(promotionId: string): string {
  const parts = promotionId.split("/").filter(Boolean).map(refComponent);
  return `${PROMOTION_BRANCH_PREFIX}${parts.join("/")}`;
}

/** One path component as git allows it in a ref: no `..`, no leading dot or dash, no `.lock` ending, no odd characters. */
function refComponent(part: string): string {
  const cleaned = part
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, "-")
    .replace(/\.lock$/i, "-lock")
    .replace(/^[.-]+|[.]+$/g, "");
  return cleaned || "-";
}

/** The promotion a pull request's head branch names, or undefined for any other branch. A name proves nothing: see recognisePromotionPullRequest. */
export function parsePromotionBranch(ref: string): PromotionBranch | undefined {
  if (!ref.startsWith(PROMOTION_BRANCH_PREFIX)) return undefined;
  const promotionId = ref.slice(PROMOTION_BRANCH_PREFIX.length);
  const [project, stage, freight, ...rest] = promotionId.split("/");
  if (!project || !stage || !freight || rest.length > 0) return undefined;
  return { promotionId, project, stage };
}
