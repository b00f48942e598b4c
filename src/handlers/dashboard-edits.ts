import type { Context } from "probot";
import { DASHBOARD_LABEL } from "../github/dashboard-issue.js";
import type { HandlerDeps } from "./types.js";

/**
 * issues.edited on the dashboard issue by a person: the boxes they ticked go to a job. Senders GitHub
 * marks as bots (the App's own redraws) are dropped here; the job checks the App's own name.
 */
export function onDashboardEdited(deps: HandlerDeps) {
  return async (context: Context<"issues.edited">): Promise<void> => {
    const { payload } = context;
    const before = payload.changes.body?.from;
    if (!payload.installation || before === undefined || !payload.issue.labels?.some((l) => l.name === DASHBOARD_LABEL) || payload.sender.type === "Bot") return;
    await deps.enqueue(
      "promote-from-dashboard",
      {
        installationId: payload.installation.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        issueNumber: payload.issue.number,
        before,
        after: payload.issue.body ?? "",
        editor: payload.sender.login,
        sender: { login: payload.sender.login, type: payload.sender.type },
        deliveryId: context.id,
      },
      { jobId: `${context.id}:promote-from-dashboard` },
    );
  };
}
