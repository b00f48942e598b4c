import type { Metrics } from "../../web/metrics.js";
import type { JobHandler } from "../types.js";
import { checkConfig, type CheckConfigDeps } from "./check-config.js";
import { promote, resumePromotion } from "./promote.js";
import { runCommands, type RunCommandsDeps } from "./run-commands.js";
import { syncInstallation, type SyncInstallationDeps } from "./sync-installation.js";

export type JobDeps = SyncInstallationDeps & CheckConfigDeps & RunCommandsDeps & { metrics: Metrics };

/** The job table: a job name, and the function that runs it. */
export function createJobHandlers(deps: JobDeps): Record<string, JobHandler> {
  const table: Record<string, JobHandler> = {
    "sync-installation": syncInstallation(deps),
    "check-config": checkConfig(deps),
    promote: promote(deps),
    "resume-promotion": resumePromotion(deps),
    "run-commands": runCommands(deps),
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
