import type { Context } from "probot";
import type { HandlerDeps } from "./types.js";

/**
 * issue_comment.created: a comment that may hold slash commands goes to a job. Senders GitHub marks
 * as bots are dropped here; whether the author is the App's own bot under another type is for the
 * job to check, since knowing the App's name means asking GitHub.
 */
export function onCommentWithCommands(deps: HandlerDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation || !/^\s*\//m.test(payload.comment.body) || payload.sender.type === "Bot") return;
    await deps.enqueue(
      "run-commands",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        issueNumber: payload.issue.number,
        commentId: payload.comment.id,
        body: payload.comment.body,
        author: payload.sender.login,
        sender: { login: payload.sender.login, type: payload.sender.type },
        viaApp: payload.comment.performed_via_github_app?.slug ?? null,
      },
      { jobId: `${context.id}:run-commands` },
    );
  };
}
