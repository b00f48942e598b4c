export { compileTemplate, type CompiledTemplate, type CompileOptions, type RenderTemplate } from "./compile-template.js";
export {
  compilePromotionTemplates,
  DEFAULT_PROMOTION_TEMPLATES,
  type CompiledPromotionTemplates,
  type PromotionTemplates,
} from "./compile-promotion-templates.js";
export {
  renderPromotionPullRequest,
  withMetadata,
  type PromotionPullRequest,
  type PromotionPullRequestInput,
} from "./render-promotion-pull-request.js";
export { promotionLabels } from "./promotion-labels.js";
export { summarizeChange, type ArtifactChange } from "./summarize-change.js";
export { commitLink, imageLink } from "./derive-artifact-links.js";
export { renderComment, type CommentKind, type CommentViews } from "./render-comment.js";
export {
  renderDashboard,
  renderStatus,
  MAX_PROMOTABLE_PER_STAGE,
  type DashboardStage,
  type DashboardView,
} from "./render-dashboard.js";
export { diffTickedCheckboxes, type TickedPromotion } from "./diff-ticked-checkboxes.js";
