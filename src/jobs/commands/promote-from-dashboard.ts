import { isIgnoredSender, type CommandRequest } from "../../commands/index.js";
import { postComment } from "../../github/comments.js";
import { diffTickedCheckboxes } from "../../render/diff-ticked-checkboxes.js";
import type { JobHandler } from "../../queue/types.js";
import { carryOutCommand, pipelineViewOnce, type CommandJobDeps } from "./carry-out-command.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";

export interface PromoteFromDashboardData {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  /** The body before and after the edit (GitHub's `changes.body.from` and the issue's body). */
  before: string;
  after: string;
  editor: string;
  /** Who edited the issue, as the delivery said. */
  sender?: { login: string; type: string };
  deliveryId: string;
  [key: string]: unknown;
}

/**
 * A person edited the dashboard issue: every box they ticked is a `/promote <stage> <freight>`
 * by them, with the same permission check, and the answer is a comment on the issue. The
 * dashboard is redrawn afterwards, so ticks and any other edits do not stay.
 */
export function promoteFromDashboard(deps: CommandJobDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as PromoteFromDashboardData;
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
