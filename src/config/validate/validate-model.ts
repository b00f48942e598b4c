import Handlebars from "handlebars";
import { diagnosticAt, type DataPath, type Diagnostic } from "../diagnostic.js";
import type { PromotionTask } from "../model/promotion-step.js";
import type { Project } from "../model/project.js";
import type { ModelOrigins } from "../model-origins.js";
import { listKnown, suggestName } from "../../text/suggest-name.js";
import { dotted } from "../check-against-schema.js";
import { checkExpressions } from "./check-expressions.js";
import { checkPatterns } from "./check-patterns.js";
import { checkSteps } from "./check-steps.js";
import { findStageCycles } from "./find-stage-cycles.js";

/** Checks what a schema cannot: names are unique, references resolve, stages form a DAG, steps are sound. */
export function validateModel(project: Project, origins: ModelOrigins): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (path: DataPath, severity: "error" | "warning", message: string) => diagnostics.push(diagnosticAt(origins.at(path), severity, message));

  checkUnique("warehouse", project.warehouses.map((w) => w.name), "warehouses", at);
  checkUnique("stage", project.stages.map((s) => s.name), "stages", at);
  checkUnique("promotion task", project.promotionTasks.map((t) => t.name), "promotionTasks", at);

  const warehouses = project.warehouses.map((w) => w.name);
  const warehouseSet = new Set(warehouses);
  const stageOrigins = new Map(project.stages.map((s) => [s.name, new Set(s.spec.requestedFreight.map((r) => r.origin.name))]));
  const stageNames = [...stageOrigins.keys()];
  const upstreams = new Map<string, string[]>();

  project.stages.forEach((stage, s) => {
    const ups: string[] = [];
    stage.spec.requestedFreight.forEach((request, r) => {
      const path = ["stages", s, "spec", "requestedFreight", r];
      const origin = request.origin.name;
      if (!warehouseSet.has(origin)) at([...path, "origin", "name"], "error", `stage "${stage.name}" requests freight from warehouse "${origin}", which is not defined${suggestName(origin, warehouses)}${listKnown("warehouses", warehouses)}`);
      (request.sources.stages ?? []).forEach((upstream, u) => {
        ups.push(upstream);
        const upstreamOrigins = stageOrigins.get(upstream);
        if (!upstreamOrigins) at([...path, "sources", "stages", u], "error", `stage "${stage.name}" takes freight from stage "${upstream}", which is not defined${suggestName(upstream, stageNames)}${listKnown("stages", stageNames)}`);
        else if (warehouseSet.has(origin) && !upstreamOrigins.has(origin)) at([...path, "sources", "stages", u], "error", `stage "${upstream}" does not receive freight from warehouse "${origin}", so "${stage.name}" cannot get it from there: request it in "${upstream}" too, or take it direct`);
      });
    });
    upstreams.set(stage.name, ups);
  });

  for (const cycle of findStageCycles(upstreams)) {
    const first = project.stages.findIndex((s) => s.name === cycle[0]);
    at(["stages", first, "spec", "requestedFreight"], "error", `stages form a cycle: ${cycle.join(" → ")} (each takes freight from the next); stages must form a DAG, so break one link`);
  }

  project.config.promotionPolicies.forEach((policy, p) => {
    if (policy.stage !== undefined && !stageOrigins.has(policy.stage)) at(["config", "promotionPolicies", p, "stage"], "error", `promotion policy names stage "${policy.stage}", which is not defined${suggestName(policy.stage, stageNames)}${listKnown("stages", stageNames)}`);
  });

  for (const finding of checkPatterns(project)) {
    diagnostics.push(diagnosticAt(origins.inValue(finding.path, finding.offset), "error", `${dotted(origins.sourcePath(finding.path))}: ${finding.message}`));
  }

  const tasks = new Map<string, PromotionTask>(project.promotionTasks.map((t) => [t.name, t]));
  project.promotionTasks.forEach((task, t) => {
    diagnostics.push(...checkSteps({ path: ["promotionTasks", t, "spec", "steps"], steps: task.spec.steps, vars: task.spec.vars ?? [], taskName: task.name }, tasks, origins));
  });
  project.stages.forEach((stage, s) => {
    const template = stage.spec.promotionTemplate?.spec;
    const vars = [...(stage.spec.vars ?? []), ...(template?.vars ?? [])];
    if (template) diagnostics.push(...checkSteps({ path: ["stages", s, "spec", "promotionTemplate", "spec", "steps"], steps: template.steps, vars }, tasks, origins));
    const varPaths: [DataPath, unknown][] = [[["stages", s, "spec", "vars"], stage.spec.vars], [["stages", s, "spec", "promotionTemplate", "spec", "vars"], template?.vars]];
    for (const [path, value] of varPaths) {
      for (const p of checkExpressions(value, path).problems) diagnostics.push(diagnosticAt(origins.inValue(p.path, p.offset), "error", `var: ${p.message}`));
    }
    for (const field of ["title", "body"] as const) {
      const text = stage.spec.github[field];
      if (text === undefined) continue;
      try {
        Handlebars.parse(text);
      } catch (error) {
        at(["stages", s, "spec", "github", field], "error", `github.${field} is not a valid Handlebars template: ${(error as Error).message.split("\n").slice(-1)[0]}`);
      }
    }
  });
  return diagnostics;
}

function checkUnique(kind: string, names: string[], collection: string, at: (path: DataPath, severity: "error", message: string) => void): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) at([collection, i], "error", `two ${kind}s are called "${name}": rename one`);
    seen.add(name);
  });
}
