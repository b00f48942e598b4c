import { isIgnoredSender, type CommandRequest } from "../../commands/index.js";
import { postComment } from "../../github/comments.js";
import { diffTickedCheckboxes } from "../../render/diff-ticked-checkboxes.js";
import { carryOutCommand, pipelineViewOnce, type CommandJobDeps } from "./carry-out-command.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type PromoteFromDashboardData = JobPayload<"promote-from-dashboard">;

/**
 * A person edited the dashboard issue: every box they ticked is a `/promote <stage> <freight>`
 * by them, with the same permission check, and the answer is a comment on the issue. The
 * dashboard is redrawn afterwards, so ticks and any other edits do not stay.
 */
export function promoteFromDashboard(deps: CommandJobDeps): JobHandlerOf<"promote-from-dashboard"> {
  return async (input, { log }) => {
    // The App's own redraws of the dashboard tick nothing; it may appear under its bot login only.
    if (isIgnoredSender({ sender: input.sender ?? { login: input.editor, type: "User" } }, await deps.appSlug())) {
      log.info({ issue: input.issueNumber, editor: input.editor }, "dashboard edited by the App itself or another bot; nothing to promote");
      return;
    }
    const ticked = diffTickedCheckboxes(input.before, input.after);
    if (ticked.length > 0) {
      const octokit = await deps.octokitFor(input.installationId);
      const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
      const readView = pipelineViewOnce(deps, octokit, { owner: input.owner, repo: input.repo }, project);
      const request: CommandRequest = { installationId: input.installationId, owner: input.owner, repo: input.repo, issueNumber: input.issueNumber, author: input.editor, requestKey: `${input.owner}/${input.repo}:dashboard:${input.deliveryId}` };
      const answers: string[] = [];
      for (const tick of ticked) answers.push(await carryOutCommand(deps, octokit, request, { name: "promote", stage: tick.stage, freight: tick.freight }, project, readView));
      await postComment(octokit, request, `@${input.editor} ticked ${ticked.length === 1 ? "a box" : `${ticked.length} boxes`} on the dashboard:\n\n${answers.join("\n\n")}`);
      log.info({ issue: input.issueNumber, editor: input.editor, ticked: ticked.length }, "dashboard boxes ticked");
    }
    await requestDashboardRefresh(deps, input);
  };
}
