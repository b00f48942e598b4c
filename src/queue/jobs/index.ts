import type { Metrics } from "../../web/metrics.js";
import type { JobHandler } from "../types.js";
import { checkConfig, type CheckConfigDeps } from "./check-config.js";
import { evaluateApproval, type EvaluateApprovalDeps } from "./evaluate-approval.js";
import { continueVerification, verifyStage, type VerifyStageDeps } from "./verify-stage.js";
import { discoverWarehouseJob, type DiscoverWarehouseDeps } from "./discover-warehouse.js";
import type { PromoteDeps } from "./carry-out-promotion.js";
import { considerAutoPromotion } from "./consider-auto-promotion.js";
import { promote } from "./promote.js";
import { resumePromotion } from "./resume-promotion.js";
import { recoverRepository } from "./recover-repository.js";
import { promoteFromDashboard } from "./promote-from-dashboard.js";
import { refreshDashboard, type RefreshDashboardDeps } from "./refresh-dashboard.js";
import { refreshSubscribers, type RefreshSubscribersDeps } from "./refresh-subscribers.js";
import { registerWarehouses, type RegisterWarehousesDeps } from "./register-warehouses.js";
import { runCommands, type RunCommandsDeps } from "./run-commands.js";
import { syncAllInstallations, syncInstallation, type SyncInstallationDeps } from "./sync-installation.js";

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
