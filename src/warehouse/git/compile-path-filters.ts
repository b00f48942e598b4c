import picomatch from "picomatch";
import { DiscoveryError } from "../types.js";

/** True when a commit that changed these paths qualifies. */
export type PathFilter = (changedPaths: readonly string[]) => boolean;

type PathSelector = (path: string) => boolean;

/**
 * Kargo's includePaths/excludePaths: a commit qualifies when at least one path it changed is
 * included (every path is, when includePaths is empty) and not excluded. A selector is a plain
 * path (that file, or everything under that directory), `glob:` (`*` stays within one directory,
 * `**` crosses them) or `regex:`/`regexp:` (searched anywhere in the path, as Go's MatchString
 * does). Undefined when the subscription sets neither list, so callers skip reading diffs at all.
 */
export function compilePathFilters(includePaths: readonly string[] | undefined, excludePaths: readonly string[] | undefined, field: string): PathFilter | undefined {
  if (!includePaths?.length && !excludePaths?.length) return undefined;
  const include = (includePaths ?? []).map((s, i) => compileSelector(s, `${field}.includePaths[${i}]`));
  const exclude = (excludePaths ?? []).map((s, i) => compileSelector(s, `${field}.excludePaths[${i}]`));
  return (changedPaths) =>
    changedPaths.some((path) => (include.length === 0 || include.some((s) => s(path))) && !exclude.some((s) => s(path)));
}

function compileSelector(selector: string, field: string): PathSelector {
  const regex = /^(regexp?):/.exec(selector);
  if (regex) {
    const source = selector.slice(regex[0].length);
    if (source === "") throw new DiscoveryError(`${field}: "${selector}" has no pattern after ${regex[0]}; write e.g. regex:^apps/[^/]+/values\\.yaml$`, false);
    let compiled: RegExp;
    try {
      compiled = new RegExp(source);
    } catch (error) {
      throw new DiscoveryError(`${field}: "${selector}" is not a regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")}); fix the pattern after ${regex[0]}`, false);
    }
    return (path) => compiled.test(path);
  }
  if (selector.startsWith("glob:")) {
    const pattern = selector.slice("glob:".length);
    if (pattern === "") throw new DiscoveryError(`${field}: "${selector}" has no pattern after glob:; write e.g. glob:apps/*/values.yaml`, false);
    let matcher: PathSelector;
    try {
      // dot: Go's filepath.Match (Kargo's matcher) lets `*` match names that start with a dot.
      matcher = picomatch(pattern, { dot: true });
    } catch (error) {
      throw new DiscoveryError(`${field}: "${selector}" is not a glob pattern (${(error as Error).message}); fix the pattern after glob:`, false);
    }
    return matcher;
  }
  const base = selector.replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  if (base === "" || base === ".") return () => true;
  return (path) => path === base || path.startsWith(`${base}/`);
}
