import type { PromotionRequest } from "../types.js";
import { StepFailure } from "../step-failure.js";

/** The image of `repoURL` in the freight being promoted (steps that default tags to the freight's). */
export function findFreightImage(promotion: PromotionRequest, repoURL: string, field: string, origin?: { name: string }): { tag: string; digest?: string } {
  for (const freight of promotion.freight) {
    if (origin && freight.origin.name !== origin.name) continue;
    const image = freight.images?.find((i) => i.repoURL === repoURL);
    if (image) return image;
  }
  throw new StepFailure(`${field}: the freight being promoted has no image "${repoURL}"${origin ? ` from warehouse "${origin.name}"` : ""}; set a tag or digest, or fix the image name`);
}
