import { diagnosticAt, type DataPath, type Diagnostic } from "../diagnostic.js";
import type { PromotionStep, PromotionTask, PromotionVar } from "../model/promotion-step.js";
import type { ModelOrigins } from "../model-origins.js";
import { checkAgainstSchema } from "../check-against-schema.js";
import { STEPS } from "../../promotion/steps/index.js";
import { listKnown, suggestName } from "../../text/suggest-name.js";
import { checkExpressions, findOutputReferences } from "./check-expressions.js";
import { stepFileSchema } from "./step-file-schemas.js";

/**
 * Kargo's built-in steps that Stagecoach does not run yet: a pipeline using one is refused by
 * name, rather than as a misspelling. Whatever runs is in the step table (src/promotion/steps/).
 */
export const KARGO_STEPS_WITHOUT_RUNNER: readonly string[] = ["github-push", "http-download", "oci-download", "oci-push", "tar", "untar"];

const KNOWN_STEPS = Object.keys(STEPS).sort();

export interface StepList {
  /** Model path of the `steps` array. */
  path: DataPath;
  steps: PromotionStep[];
  /** Vars visible to every step (stage vars and template vars), for required task vars. */
  vars: PromotionVar[];
  /** Set when the list is a task's own steps (tasks cannot use tasks). */
  taskName?: string;
}

/** Checks one list of steps: names, configs, tasks and their vars, aliases and expressions. */
export function checkSteps(list: StepList, tasks: ReadonlyMap<string, PromotionTask>, origins: ModelOrigins): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (path: DataPath, severity: "error" | "warning", message: string) => diagnostics.push(diagnosticAt(origins.at(path), severity, message));
  const aliases = new Map<string, number>();
  list.steps.forEach((step, index) => {
    if (step.as === undefined) return;
    if (aliases.has(step.as)) at([...list.path, index, "as"], "error", `two steps are called "${step.as}": give each step a different as:`);
    else aliases.set(step.as, index);
  });

  list.steps.forEach((step, index) => {
    const stepPath = [...list.path, index];
    if (step.uses !== undefined) checkBuiltIn(step, stepPath, at, diagnostics, origins);
    if (step.task !== undefined) {
      if (list.taskName !== undefined) at([...stepPath, "task"], "error", `task "${list.taskName}" uses task "${step.task.name}": tasks cannot use tasks; copy its steps in instead`);
      else checkTaskUse(step, stepPath, list.vars, tasks, at);
    }
    const { problems, parsed } = checkExpressions({ if: step.if, config: step.config, vars: step.vars }, stepPath);
    for (const p of problems) diagnostics.push(diagnosticAt(origins.inValue(p.path, p.offset), "error", `${describeField(p.path, stepPath)}: ${p.message}`));
    for (const expression of parsed) {
      for (const ref of findOutputReferences(expression.segments, list.taskName !== undefined)) {
        const defined = aliases.get(ref.alias) ?? [...aliases.entries()].find(([alias]) => ref.alias.startsWith(`${alias}::`))?.[1];
        const where = origins.inValue(expression.path, ref.offset);
        if (defined === undefined) diagnostics.push(diagnosticAt(where, "error", `outputs of "${ref.alias}" are read, but no step has as: ${ref.alias}${suggestName(ref.alias, [...aliases.keys()])}`));
        else if (defined >= index) diagnostics.push(diagnosticAt(where, "error", `outputs of "${ref.alias}" are read before that step runs (it is step ${defined + 1}); move this step after it`));
      }
    }
  });
  return diagnostics;
}

type Report = (path: DataPath, severity: "error" | "warning", message: string) => void;

function checkBuiltIn(step: PromotionStep, stepPath: DataPath, at: Report, diagnostics: Diagnostic[], origins: ModelOrigins): void {
  const uses = step.uses as string;
  const schema = stepFileSchema(uses);
  if (!schema) {
    const problem = KARGO_STEPS_WITHOUT_RUNNER.includes(uses) ? `Stagecoach has no runner for ${uses} yet` : `unknown step "${uses}"`;
    at([...stepPath, "uses"], "error", `${problem}${suggestName(uses, KNOWN_STEPS)}; see the built-in steps in docs/configuration.md`);
    return;
  }
  const replacement = STEPS[uses]?.deprecated;
  if (replacement) at([...stepPath, "uses"], "warning", `${uses} is deprecated: use ${replacement}`);
  const configPath = [...stepPath, "config"];
  const result = checkAgainstSchema(schema, step.config ?? {}, (path) => origins.at([...configPath, ...path]), (path) => `${uses} config${path.length ? "." : ""}${path.join(".")}`);
  diagnostics.push(...result.diagnostics);
}

function checkTaskUse(step: PromotionStep, stepPath: DataPath, vars: PromotionVar[], tasks: ReadonlyMap<string, PromotionTask>, at: Report): void {
  const name = step.task?.name as string;
  const task = tasks.get(name);
  if (!task) {
    at([...stepPath, "task", "name"], "error", `task "${name}" is not defined${suggestName(name, [...tasks.keys()])}${listKnown("tasks", [...tasks.keys()])}`);
    return;
  }
  const given = new Set([...vars, ...(step.vars ?? [])].map((v) => v.name));
  for (const v of task.spec.vars ?? []) {
    if (v.value === undefined && !given.has(v.name)) {
      at([...stepPath, "task"], "error", `task "${name}" requires var "${v.name}": add { name: ${v.name}, value: ... } to this step's vars`);
    }
  }
}

function describeField(path: DataPath, stepPath: DataPath): string {
  return path.slice(stepPath.length).reduce<string>((text, s) => (typeof s === "number" ? `${text}[${s}]` : text ? `${text}.${s}` : String(s)), "");
}
