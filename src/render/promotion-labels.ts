/** GitHub refuses label names longer than this. */
const LABEL_LIMIT = 50;

/**
 * The labels of a promotion pull request, so a script (or a person) can select promotions by
 * stage, freight or warehouse with GitHub's own search.
 */
export function promotionLabels(promotion: { stage: string; alias: string; warehouse: string }): string[] {
  return [`stage:${promotion.stage}`, `freight:${promotion.alias}`, `warehouse:${promotion.warehouse}`].map((label) =>
    label.slice(0, LABEL_LIMIT),
  );
}
