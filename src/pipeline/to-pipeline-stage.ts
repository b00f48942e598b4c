import type { Stage } from "../config/model/stage.js";
import type { PipelineStage } from "./types.js";

/**
 * The pipeline's view of a configured stage. Whether auto-promotion is on comes from the
 * project's promotion policies (names, globs, selectors), which the caller has already matched.
 */
export function toPipelineStage(stage: Stage, autoPromotionEnabled: boolean): PipelineStage {
  const { requestedFreight, promotionTemplate, github } = stage.spec;
  return {
    name: stage.name,
    requestedFreight,
    controlFlow: (promotionTemplate?.spec.steps.length ?? 0) === 0,
    autoPromotionEnabled,
    promoters: github.promoters,
    approvers: github.approvers,
    requiredApprovals: github.requiredApprovals,
  };
}
