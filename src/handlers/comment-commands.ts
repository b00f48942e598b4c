import type { Context } from "probot";
import { isIgnoredSender } from "../commands/index.js";
import type { HandlerDeps } from "./types.js";

/** issue_comment.created: a comment that may hold slash commands goes to a job; bots are ignored. */
export function onCommentWithCommands(deps: HandlerDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { payload } = context;
    if (!payload.installation || !/^\s*\//m.test(payload.comment.body)) return;
    if (isIgnoredSender(payload as never, await deps.appSlug())) return;
    await deps.queue.enqueue(
      "run-commands",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        issueNumber: payload.issue.number,
        commentId: payload.comment.id,
        body: payload.comment.body,
        author: payload.sender.login,
      },
      { jobId: `${context.id}:run-commands` },
    );
  };
}
