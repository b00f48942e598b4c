import { readProjectHealth } from "../../argocd/read-project-health.js";
import type { ArgoCdClient } from "../../argocd/client.js";
import { upsertDashboardIssue } from "../../github/dashboard-issue.js";
import { listOpenPromotions } from "../../github/open-promotions.js";
import { promotionTrust } from "../../records/recognise-promotion-pull-request.js";
import { readPipelineView } from "../../github/read-pipeline-view.js";
import { buildDashboardView } from "../../pipeline/build-dashboard-view.js";
import { renderDashboard } from "../../render/render-dashboard.js";
import type { PromoteDeps } from "../promotion/carry-out-promotion.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type RefreshDashboardData = JobPayload<"refresh-dashboard">;

export interface RefreshDashboardDeps extends Pick<PromoteDeps, "octokitFor" | "enqueue" | "clock" | "appId" | "store" | "metadataKey" | "appSlug"> {
  argocd?: ArgoCdClient;
  onDashboard?(update: { owner: string; repo: string; issue: number; changed: boolean }): void;
}

/** Changes within this window share one refresh. */
const DEBOUNCE_MS = 2_000;

/**
 * Asks for the dashboard to be redrawn soon. Refreshes land on a grid, so a burst of changes (a
 * promotion's several steps, a verification) costs one refresh, which runs after all of them.
 */
export async function requestDashboardRefresh(deps: Pick<PromoteDeps, "enqueue" | "clock">, at: { installationId: number; owner: string; repo: string }): Promise<void> {
  const now = deps.clock.now().getTime();
  const slot = Math.floor(now / DEBOUNCE_MS) + 1;
  await deps.enqueue("refresh-dashboard", { installationId: at.installationId, owner: at.owner, repo: at.repo }, { delayMs: slot * DEBOUNCE_MS - now, jobId: `dashboard:${at.owner}/${at.repo}:${slot}`.toLowerCase() });
}

/**
 * The promotion dashboard issue, like Renovate's dependency dashboard: one issue per project with
 * each stage's health, current freight, open promotion pull requests and the freight that may be
 * promoted there as checkboxes. Off with `dashboard: false` in the config.
 */
export function refreshDashboard(deps: RefreshDashboardDeps): JobHandlerOf<"refresh-dashboard"> {
  return async (input, { log }) => {
    const repo = { owner: input.owner, repo: input.repo };
    const octokit = await deps.octokitFor(input.installationId);
    const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
    if (!project.config.github.dashboard) return;
    const view = await readPipelineView(octokit, repo, project, deps.appId !== undefined ? { appId: deps.appId } : {});
    const dashboard = buildDashboardView({
      project: project.name,
      stages: view.stages,
      freight: view.freight,
      running: new Map([...view.deployments].map(([stage, d]) => [stage, d.freight.name])),
      open: await listOpenPromotions(octokit, repo, project.name, view.freight, await promotionTrust(deps, input.owner, input.repo)),
      health: await readProjectHealth(project, deps.argocd),
      now: deps.clock.now(),
    });
    const { number, changed } = await upsertDashboardIssue(octokit, repo, project.name, renderDashboard(dashboard));
    log.info({ issue: number, changed }, changed ? `dashboard #${number} updated` : `dashboard #${number} is up to date`);
    deps.onDashboard?.({ ...repo, issue: number, changed });
  };
}
