import { describePatternProblem } from "../../text/compile-user-regex.js";
import { compileSelector } from "../../text/compile-selector.js";
import { DiscoveryError } from "../types.js";

/** True when a commit that changed these paths qualifies. */
export type PathFilter = (changedPaths: readonly string[]) => boolean;

/**
 * Kargo's includePaths/excludePaths: a commit qualifies when at least one path it changed is
 * included (every path is, when includePaths is empty) and not excluded. A selector is a plain
 * path (that file, or everything under that directory), `glob:` (`*` stays within one directory,
 * `**` crosses them) or `regex:`/`regexp:` (searched anywhere in the path, as Go's MatchString
 * does); patterns run in linear time (see src/text/). Undefined when the subscription sets
 * neither list, so callers skip reading diffs at all.
 */
export function compilePathFilters(includePaths: readonly string[] | undefined, excludePaths: readonly string[] | undefined, field: string): PathFilter | undefined {
  if (!includePaths?.length && !excludePaths?.length) return undefined;
  const include = (includePaths ?? []).map((s, i) => compilePathSelector(s, `${field}.includePaths[${i}]`));
  const exclude = (excludePaths ?? []).map((s, i) => compilePathSelector(s, `${field}.excludePaths[${i}]`));
  return (changedPaths) =>
    changedPaths.some((path) => (include.length === 0 || include.some((s) => s(path))) && !exclude.some((s) => s(path)));
}

function compilePathSelector(selector: string, field: string): (path: string) => boolean {
  const compiled = compileSelector(selector, "path");
  if (!compiled.ok) throw new DiscoveryError(`${field}: ${describePatternProblem(selector, compiled)}`, false);
  return compiled.test;
}
