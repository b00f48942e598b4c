import type { ApplicationFunction } from "probot";
import type { HandlerDeps } from "./handlers/types.js";
import { onCommentWithCommands } from "./handlers/comment-commands.js";
import { onPullRequestTouchingConfig, onPushTouchingConfig } from "./handlers/config-changes.js";
import { onInstallationChange } from "./handlers/installation.js";
import { onPing } from "./handlers/ping.js";
import { onPromotionPullRequestClosed } from "./handlers/promotion-pull-requests.js";

/** The Probot app: wires events to handlers and does nothing else. */
export function createApp(deps: HandlerDeps): ApplicationFunction {
  return (app) => {
    app.on("ping", onPing());
    app.on(["installation", "installation_repositories"], onInstallationChange(deps));
    app.on("push", onPushTouchingConfig(deps));
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], onPullRequestTouchingConfig(deps));
    app.on("pull_request.closed", onPromotionPullRequestClosed(deps));
    app.on("issue_comment.created", onCommentWithCommands(deps));
  };
}
