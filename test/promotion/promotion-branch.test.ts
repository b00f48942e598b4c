import { describe, expect, it } from "vitest";
import { parsePromotionBranch } from "../../src/promotion/promotion-branch.js";

describe("parsePromotionBranch", () => {
  it("reads project, stage and the promotion ID from a promotion branch", () => {
    expect(parsePromotionBranch("stagecoach/promotion/guestbook/uat/0123456789ab")).toEqual({ promotionId: "guestbook/uat/0123456789ab", project: "guestbook", stage: "uat" });
  });

  it("ignores every other branch, including look-alikes with missing or extra parts", () => {
    for (const ref of ["main", "feature/stagecoach/promotion/a/b/c", "stagecoach/promotion/guestbook/uat", "stagecoach/promotion/a/b/c/d", "stagecoach/promotion//uat/abc"]) {
      expect(parsePromotionBranch(ref), ref).toBeUndefined();
    }
  });
});
