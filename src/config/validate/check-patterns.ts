import { compileSelector } from "../../text/compile-selector.js";
import { compileUserRegex, describePatternProblem, type CompiledPattern } from "../../text/compile-user-regex.js";
import type { DataPath } from "../diagnostic.js";
import type { Project } from "../model/project.js";

export interface PatternFinding {
  path: DataPath;
  /** Character offset inside the string value, where the problem is. */
  offset: number;
  /** Says the pattern, the problem and the fix; the caller puts the field in front. */
  message: string;
}

/**
 * Compiles every pattern of the model the way discovery and auto-promotion will (tag regexes,
 * path filters, stage selectors), so one RE2 cannot run is refused when the config is checked,
 * not when a warehouse is first polled.
 */
export function checkPatterns(project: Project): PatternFinding[] {
  const findings: PatternFinding[] = [];
  const check = (path: DataPath, value: string, compiled: CompiledPattern) => {
    if (!compiled.ok) findings.push({ path, offset: compiled.offset ?? 0, message: describePatternProblem(value, compiled) });
  };
  const regexes = (path: DataPath, values: string[] | undefined) => values?.forEach((v, i) => check([...path, i], v, compileUserRegex(v)));
  const paths = (path: DataPath, values: string[] | undefined) => values?.forEach((v, i) => check([...path, i], v, compileSelector(v, "path")));

  project.warehouses.forEach((warehouse, w) => {
    warehouse.spec.subscriptions.forEach((subscription, s) => {
      const at = ["warehouses", w, "spec", "subscriptions", s];
      for (const kind of ["image", "git"] as const) {
        const tags = subscription[kind];
        regexes([...at, kind, "allowTagsRegexes"], tags?.allowTagsRegexes);
        regexes([...at, kind, "ignoreTagsRegexes"], tags?.ignoreTagsRegexes);
      }
      paths([...at, "git", "includePaths"], subscription.git?.includePaths);
      paths([...at, "git", "excludePaths"], subscription.git?.excludePaths);
    });
  });
  project.config.promotionPolicies.forEach((policy, p) => {
    const name = policy.stageSelector?.name;
    if (name !== undefined) check(["config", "promotionPolicies", p, "stageSelector", "name"], name, compileSelector(name, "stage"));
  });
  return findings;
}
