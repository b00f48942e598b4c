import type { Project } from "../config/model/project.js";
import { compileSelector } from "../text/compile-selector.js";

/**
 * Whether the project's promotion policies turn auto-promotion on for a stage. A policy names
 * the stage exactly, or selects it by `glob:` / `regex:` / `regexp:` pattern (linear-time, see
 * src/text/); the last matching policy wins, so a specific entry after a broad one can turn a
 * stage back off. Config validation refuses a pattern that does not compile; here it matches nothing.
 */
export function isAutoPromotionEnabled(project: Pick<Project, "config">, stageName: string): boolean {
  let enabled = false;
  for (const policy of project.config.promotionPolicies) {
    const pattern = policy.stage ?? policy.stageSelector?.name;
    if (pattern !== undefined && matches(pattern, stageName) && !policy.stageSelector?.matchLabels) enabled = policy.autoPromotionEnabled;
  }
  return enabled;
}

function matches(pattern: string, name: string): boolean {
  const compiled = compileSelector(pattern, "stage");
  return compiled.ok && compiled.test(name);
}
