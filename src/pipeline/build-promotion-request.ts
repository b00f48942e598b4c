import type { Project, ProjectStage } from "../config/index.js";
import type { FreightReference } from "../freight/freight-reference.js";
import type { PromotionRequest } from "../promotion/types.js";

/** What the runner needs for one promotion of one freight into one stage, from the config alone. */
export function buildPromotionRequest(project: Project, stage: ProjectStage, id: string, freight: FreightReference, actor?: string, rollback?: boolean): PromotionRequest {
  const template = stage.spec.promotionTemplate?.spec;
  return {
    id,
    project: project.name,
    stage: stage.name,
    freight: [freight],
    ...(actor ? { actor } : {}),
    ...(rollback ? { rollback } : {}),
    steps: (template?.steps ?? []) as PromotionRequest["steps"],
    // Kargo: stage vars, then template vars (step vars come last, in the runner).
    vars: [...(stage.spec.vars ?? []), ...(template?.vars ?? [])] as PromotionRequest["vars"],
    tasks: Object.fromEntries(project.promotionTasks.map((task) => [task.name, { name: task.name, vars: task.spec.vars, steps: task.spec.steps }])) as PromotionRequest["tasks"],
  };
}

/** The base of a promotion's deterministic name: project/stage/freight (also the branch suffix). */
export function promotionBaseId(project: string, stage: string, freightName: string): string {
  return `${project}/${stage}/${freightName.slice(0, 12)}`;
}
