import type { PromotionRequest, PromotionStepSpec, PromotionVar } from "./types.js";

/** A step after tasks are expanded: what the runner walks through. */
export interface PlannedStep {
  alias: string;
  uses: string;
  spec: PromotionStepSpec;
  /** Set for steps that came from a PromotionTask: the alias of the step that used the task. */
  taskAlias?: string;
  /** The alias inside the task (what `task.outputs[...]` uses). */
  localAlias?: string;
  /** The task's default vars (lowest precedence). */
  taskDefaults?: PromotionVar[];
  /** The vars on the step that used the task (above the template's vars). */
  taskStepVars?: PromotionVar[];
}

/** A pipeline mistake found before any step runs (unknown task, duplicate alias). */
export class PromotionPlanError extends Error {
  override name = "PromotionPlanError";
}

/**
 * Expands `task:` steps into the task's steps (aliases `<task step alias>::<inner alias>`) and
 * gives every step its alias (`step-<n>` when it has no `as`).
 */
export function planSteps(request: PromotionRequest): PlannedStep[] {
  const planned: PlannedStep[] = [];
  request.steps.forEach((spec, index) => {
    const alias = spec.as ?? `step-${index + 1}`;
    if (spec.task) {
      planned.push(...expandTask(request, spec, alias, index));
      return;
    }
    if (!spec.uses) throw new PromotionPlanError(`steps[${index}] (${alias}) has neither "uses" nor "task": name the step to run, e.g. uses: git-clone`);
    planned.push({ alias, uses: spec.uses, spec });
  });
  const seen = new Set<string>();
  for (const step of planned) {
    if (seen.has(step.alias)) throw new PromotionPlanError(`two steps are called "${step.alias}": give each step a different "as"`);
    seen.add(step.alias);
  }
  return planned;
}

function expandTask(request: PromotionRequest, spec: PromotionStepSpec, alias: string, index: number): PlannedStep[] {
  const name = spec.task?.name ?? "";
  const task = request.tasks?.[name];
  if (!task) {
    const known = Object.keys(request.tasks ?? {});
    throw new PromotionPlanError(`steps[${index}] (${alias}) uses task "${name}", which is not defined${known.length ? `; defined tasks: ${known.join(", ")}` : ""}`);
  }
  const given = new Set([...(request.vars ?? []), ...(spec.vars ?? [])].map((v) => v.name));
  for (const v of task.vars ?? []) {
    if (v.value === undefined && !given.has(v.name)) {
      throw new PromotionPlanError(`steps[${index}] (${alias}): task "${name}" requires var "${v.name}"; add it to the step's vars`);
    }
  }
  return task.steps.map((inner, innerIndex) => {
    if (inner.task) throw new PromotionPlanError(`task "${name}" step ${innerIndex + 1} uses another task; tasks cannot use tasks, inline its steps instead`);
    if (!inner.uses) throw new PromotionPlanError(`task "${name}" step ${innerIndex + 1} has no "uses"`);
    const localAlias = inner.as ?? `step-${innerIndex + 1}`;
    return {
      alias: `${alias}::${localAlias}`,
      uses: inner.uses,
      spec: inner,
      taskAlias: alias,
      localAlias,
      taskDefaults: (task.vars ?? []).filter((v) => v.value !== undefined),
      taskStepVars: spec.vars ?? [],
    };
  });
}
