import type { Project } from "../config/model/project.js";

/**
 * Whether the project's promotion policies turn auto-promotion on for a stage. A policy names
 * the stage exactly, or selects it by `glob:` / `regex:` pattern; the last matching policy wins,
 * so a specific entry after a broad one can turn a stage back off.
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
  if (pattern.startsWith("regex:")) {
    try {
      return new RegExp(pattern.slice("regex:".length)).test(name);
    } catch {
      return false;
    }
  }
  if (pattern.startsWith("glob:")) {
    const source = pattern
      .slice("glob:".length)
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(name);
  }
  return pattern === name;
}
