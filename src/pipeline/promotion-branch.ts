/** Promotion pull requests come from `stagecoach/promotion/<project>/<stage>/<freight>` (git-push's generated branch). */
export const PROMOTION_BRANCH_PREFIX = "stagecoach/promotion/";

export interface PromotionBranch {
  /** `<project>/<stage>/<freight prefix>`: the promotion's ID and its state key. */
  promotionId: string;
  project: string;
  stage: string;
}

/** The promotion a pull request's head branch belongs to, or undefined for any other branch. */
export function parsePromotionBranch(ref: string): PromotionBranch | undefined {
  if (!ref.startsWith(PROMOTION_BRANCH_PREFIX)) return undefined;
  const promotionId = ref.slice(PROMOTION_BRANCH_PREFIX.length);
  const [project, stage, freight, ...rest] = promotionId.split("/");
  if (!project || !stage || !freight || rest.length > 0) return undefined;
  return { promotionId, project, stage };
}
