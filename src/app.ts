import type { ApplicationFunction } from "probot";
import type { HandlerDeps } from "./handlers/types.js";
import { onContainerPackagePublished, onPushToSubscribedRepository } from "./handlers/artifact-pushes.js";
import { onCommentWithCommands } from "./handlers/comment-commands.js";
import { onPullRequestTouchingConfig, onPushTouchingConfig } from "./handlers/config-changes.js";
import { onDashboardEdited } from "./handlers/dashboard-edits.js";
import { onInstallationChange } from "./handlers/installation.js";
import { onPing } from "./handlers/ping.js";
import { onPromotionChecksSettled, onPromotionPullRequestActivity, onPromotionPullRequestClosed, onVerificationProgress } from "./handlers/promotion-pull-requests.js";

/** The Probot app: wires events to handlers and does nothing else. */
export function createApp(deps: HandlerDeps): ApplicationFunction {
  return (app) => {
    app.on("ping", onPing());
    app.on(["installation", "installation_repositories"], onInstallationChange(deps));
    app.on("push", onPushTouchingConfig(deps));
    app.on("push", onPushToSubscribedRepository(deps));
    app.on(["registry_package.published", "registry_package.updated", "package.published", "package.updated"], onContainerPackagePublished(deps));
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], onPullRequestTouchingConfig(deps));
    app.on("pull_request.closed", onPromotionPullRequestClosed(deps));
    app.on(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request_review.submitted", "pull_request_review.dismissed"],
      onPromotionPullRequestActivity(deps),
    );
    app.on(["workflow_run.completed", "check_run.completed", "status"], onVerificationProgress(deps));
    app.on(["check_suite.completed", "status"], onPromotionChecksSettled(deps));
    app.on("issue_comment.created", onCommentWithCommands(deps));
    app.on("issues.edited", onDashboardEdited(deps));
  };
}
