export { availableFreight } from "./available-freight.js";
export { measureSoak } from "./measure-soak.js";
export {
  decideAutoPromotion,
  type AutoPromotionDecision,
  type AutoPromotionHold,
  type AutoPromotionInput,
} from "./decide-auto-promotion.js";
export { pickRollbackTarget, type RollbackTarget } from "./pick-rollback-target.js";
export { countApprovals, type ApprovalCount, type ApprovalState, type Review } from "./count-approvals.js";
export { supersede, type IncomingPromotion, type OpenPromotion, type SupersedeDecision } from "./supersede.js";
export { toPipelineStage } from "./to-pipeline-stage.js";
export type * from "./types.js";
