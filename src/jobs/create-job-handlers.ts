import type { Metrics } from "../web/metrics.js";
import type { JobHandler } from "../queue/types.js";
import { checkConfig, type CheckConfigDeps } from "./config/check-config.js";
import { evaluateApproval, type EvaluateApprovalDeps } from "./approval/evaluate-approval.js";
import { continueVerification, verifyStage, type VerifyStageDeps } from "./verification/verify-stage.js";
import { discoverWarehouseJob, type DiscoverWarehouseDeps } from "./discovery/discover-warehouse.js";
import type { PromoteDeps } from "./promotion/carry-out-promotion.js";
import { considerAutoPromotion } from "./promotion/consider-auto-promotion.js";
import { promote } from "./promotion/promote.js";
import { resumePromotion } from "./promotion/resume-promotion.js";
import { recoverRepository } from "./installation/recover-repository.js";
import { promoteFromDashboard } from "./commands/promote-from-dashboard.js";
import { refreshDashboard, type RefreshDashboardDeps } from "./dashboard/refresh-dashboard.js";
import { refreshSubscribers, type RefreshSubscribersDeps } from "./discovery/refresh-subscribers.js";
import { registerWarehouses, type RegisterWarehousesDeps } from "./discovery/register-warehouses.js";
import { runCommands, type RunCommandsDeps } from "./commands/run-commands.js";
import { syncAllInstallations, syncInstallation, type SyncInstallationDeps } from "./installation/sync-installation.js";

export type JobDeps = SyncInstallationDeps &
  CheckConfigDeps &
  RunCommandsDeps &
  RegisterWarehousesDeps &
  DiscoverWarehouseDeps &
  RefreshSubscribersDeps &
  EvaluateApprovalDeps &
  VerifyStageDeps &
  PromoteDeps &
  RefreshDashboardDeps & { metrics: Metrics };

/** The job table: a job name, and the function that runs it. */
export function createJobHandlers(deps: JobDeps): Record<string, JobHandler> {
  const table: Record<string, JobHandler> = {
    "sync-all-installations": syncAllInstallations(deps),
    "sync-installation": syncInstallation(deps),
    "check-config": checkConfig(deps),
    "register-warehouses": registerWarehouses(deps),
    "discover-warehouse": discoverWarehouseJob(deps),
    "refresh-subscribers": refreshSubscribers(deps),
    promote: promote(deps),
    "resume-promotion": resumePromotion(deps),
    "consider-auto-promotion": considerAutoPromotion(deps),
    "refresh-dashboard": refreshDashboard(deps),
    "recover-repository": recoverRepository(deps),
    "promote-from-dashboard": promoteFromDashboard(deps),
    "run-commands": runCommands(deps),
    "evaluate-approval": evaluateApproval(deps),
    "verify-stage": verifyStage(deps),
    "continue-verification": continueVerification(deps),
  };
  return Object.fromEntries(
    Object.entries(table).map(([name, handler]) => [name, countOutcome(name, handler, deps.metrics)]),
  );
}

function countOutcome(name: string, handler: JobHandler, metrics: Metrics): JobHandler {
  return async (data, context) => {
    try {
      await handler(data, context);
      metrics.jobsProcessed.inc({ job: name, outcome: "ok" });
    } catch (error) {
      metrics.jobsProcessed.inc({ job: name, outcome: "error" });
      throw error;
    }
  };
}
