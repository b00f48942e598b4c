import type { Metrics } from "../web/metrics.js";
import { PermanentJobError, type JobHandler } from "../queue/types.js";
import { JOB_TABLE, type JobHandlerOf, type JobName, type JobPayload } from "./job-table.js";
import { checkConfig, type CheckConfigDeps } from "./config/check-config.js";
import { evaluateApproval, type EvaluateApprovalDeps } from "./approval/evaluate-approval.js";
import { continueVerification } from "./verification/continue-verification.js";
import type { VerifyStageDeps } from "./verification/judge-pending-verification.js";
import { verifyStage } from "./verification/verify-stage.js";
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
import { syncAllInstallations } from "./installation/sync-all-installations.js";
import { syncInstallation, type SyncInstallationDeps } from "./installation/sync-installation.js";

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

type JobHandlers = { [N in JobName]: JobHandlerOf<N> };

/**
 * A handler for every row of the job table (a missing one does not compile). Each is wrapped so
 * its payload is parsed before it runs — a payload that does not fit fails that job at once with
 * the reason, and never the worker — and its outcome is counted.
 */
export function createJobHandlers(deps: JobDeps): Record<JobName, JobHandler> {
  const handlers: JobHandlers = {
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
  const wrapped = {} as Record<JobName, JobHandler>;
  for (const name of Object.keys(handlers) as JobName[]) wrapped[name] = parsedAndCounted(name, handlers[name] as JobHandlerOf<JobName>, deps.metrics);
  return wrapped;
}

function parsedAndCounted<N extends JobName>(name: N, handler: JobHandlerOf<N>, metrics: Metrics): JobHandler {
  const schema = JOB_TABLE[name].payload;
  return async (data, context) => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      metrics.jobsProcessed.inc({ job: name, outcome: "bad_payload" });
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`).join("; ");
      throw new PermanentJobError(`job "${name}" was queued with a payload it does not take (${problems}); it is dropped`);
    }
    try {
      await handler(parsed.data as JobPayload<N>, context);
      metrics.jobsProcessed.inc({ job: name, outcome: "ok" });
    } catch (error) {
      metrics.jobsProcessed.inc({ job: name, outcome: "error" });
      throw error;
    }
  };
}
