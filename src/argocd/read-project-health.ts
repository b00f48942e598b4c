import type { Project } from "../config/index.js";
import type { ArgoCdClient } from "./client.js";
import type { StageHealth } from "./evaluate-app-state.js";
import { listStageApps } from "./list-stage-apps.js";
import { readStageHealth } from "./read-stage-health.js";

/**
 * Each stage's health from the Argo CD Applications its steps name. Without an Argo CD connection
 * a stage that names Applications is Unknown; one that names none is NotApplicable (Kargo's words).
 */
export async function readProjectHealth(project: Project, client: ArgoCdClient | undefined): Promise<Map<string, StageHealth>> {
  const health = new Map<string, StageHealth>();
  for (const stage of project.stages) {
    const apps = listStageApps(stage);
    if (apps.length === 0) health.set(stage.name, "NotApplicable");
    else if (!client) health.set(stage.name, "Unknown");
    else health.set(stage.name, (await readStageHealth(client, apps)).health);
  }
  return health;
}
