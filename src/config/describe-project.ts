import type { Project } from "./model/project.js";

/** `<project>: N warehouses, M stages, K promotion tasks` — the one-line summary of a valid project. */
export function describeProject(project: Project): string {
  return `${project.name}: ${project.warehouses.length} warehouses, ${project.stages.length} stages, ${project.promotionTasks.length} promotion tasks`;
}
