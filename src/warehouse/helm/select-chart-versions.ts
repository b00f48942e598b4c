import { compileSemverConstraint, selectSemverTags } from "../selection/index.js";

/**
 * Chart versions newest first, at most `limit`, within the constraint. Helm already requires
 * semantic versions, so parsing is lenient (`1.2` reads as 1.2.0), as Kargo's chart discovery is;
 * anything that is not a version at all is skipped.
 */
export function selectChartVersions(versions: readonly string[], constraint: string | undefined, limit: number, field: string): string[] {
  // Compiled here first so a bad constraint names the field users write, semverConstraint.
  if (constraint) compileSemverConstraint(constraint, `${field}.semverConstraint`);
  return selectSemverTags(versions, { ...(constraint ? { constraint } : {}), strictSemvers: false, discoveryLimit: limit }, field);
}
