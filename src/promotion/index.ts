/** The promotion engine's public surface: what workers, the CLI and the App call. */
export { runPromotion, requestAbort, type RunPromotionOptions } from "./run-promotion.js";
export { createKeyValueStateStore, createMemoryStateStore, type PromotionStateStore } from "./state-store.js";
export { planSteps, PromotionPlanError, type PlannedStep } from "./plan-steps.js";
export { STEPS } from "./steps/index.js";
export { defineStep, type StepDefinition, type StepEnvironment, type StepResult, type StepServices } from "./step-definition.js";
export { StepFailure } from "./step-failure.js";
export type { PullRequestInfo, PullRequestService } from "./step-support/pull-request-service.js";
export { parsePromotionBranch, promotionBranchName, PROMOTION_BRANCH_PREFIX, type PromotionBranch } from "./promotion-branch.js";
export { createLocalGitWorkspaceFactory, type LocalGitWorkspaceOptions } from "./workspace/local-git-workspace.js";
export { createGitHubApiWorkspaceFactory, type GitHubApiWorkspaceOptions } from "./workspace/github-api-workspace.js";
export { createHybridWorkspaceFactory } from "./workspace/hybrid-workspace.js";
export { parseGitHubRepoURL } from "./workspace/parse-github-repo-url.js";
export type { Workspace, WorkspaceFactory } from "./workspace/workspace.js";
export type * from "./types.js";
