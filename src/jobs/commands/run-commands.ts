import { isIgnoredSender, parseComment, type CommandRequest } from "../../commands/index.js";
import type { Project } from "../../config/index.js";
import { postComment, reactToComment } from "../../github/comments.js";
import type { PipelineView } from "../../github/read-pipeline-view.js";
import { carryOutCommand, pipelineViewOnce, type CommandJobDeps } from "./carry-out-command.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type RunCommandsData = JobPayload<"run-commands">;

export type RunCommandsDeps = CommandJobDeps;

/**
 * Slash commands in a comment: acknowledged with a reaction, each carried out (or refused) in
 * turn, answered in one comment.
 */
export function runCommands(deps: RunCommandsDeps): JobHandlerOf<"run-commands"> {
  return async (input, { log }) => {
    const results = parseComment(input.body);
    if (results.length === 0) return;
    const sender = { sender: input.sender ?? { login: input.author, type: "User" }, comment: { performed_via_github_app: input.viaApp ? { slug: input.viaApp } : null } };
    if (isIgnoredSender(sender, await deps.appSlug())) {
      log.info({ comment: input.commentId, author: input.author }, "comment by the App itself or another bot; its commands are not run");
      return;
    }
    const octokit = await deps.octokitFor(input.installationId);
    await reactToComment(octokit, input, input.commentId, "eyes");
    const request: CommandRequest = { installationId: input.installationId, owner: input.owner, repo: input.repo, issueNumber: input.issueNumber, author: input.author, requestKey: `${input.owner}/${input.repo}:comment:${input.commentId}` };
    // The config and the pipeline are read only if a command needs them, and then once.
    let loaded: { project: Project; view: () => Promise<PipelineView> } | undefined;
    const answers: string[] = [];
    for (const result of results) {
      if (result.kind === "unknown") answers.push(`${result.message}\n\n${result.help}`);
      else if (result.kind !== "command") answers.push(result.message);
      else {
        if (!loaded) {
          const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
          loaded = { project, view: pipelineViewOnce(deps, octokit, { owner: input.owner, repo: input.repo }, project) };
        }
        answers.push(await carryOutCommand(deps, octokit, request, result.command, loaded.project, loaded.view));
      }
    }
    await postComment(octokit, input, answers.join("\n\n---\n\n"));
    log.info({ comment: input.commentId, author: input.author, commands: results.length }, "answered slash commands");
  };
}
