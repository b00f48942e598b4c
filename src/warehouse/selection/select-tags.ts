import type semver from "semver";
import { compileSemverConstraint } from "./compile-semver-constraint.js";
import { compileTagFilters, type TagFilterOptions } from "./compile-tag-filters.js";
import { parseTagVersion } from "./parse-tag-version.js";

export interface SemverSelection extends TagFilterOptions {
  constraint?: string;
  strictSemvers: boolean;
  discoveryLimit: number;
}

/**
 * Tags that are semantic versions (strict or lenient), pass the allow/ignore rules and satisfy the
 * constraint, newest first, at most `discoveryLimit`. Equal versions ("1.0" and "1.0.0") are
 * ordered by their text so the answer does not depend on the registry's order.
 */
export function selectSemverTags(tags: readonly string[], options: SemverSelection, field: string): string[] {
  const allowed = compileTagFilters(options, field);
  const range = options.constraint ? compileSemverConstraint(options.constraint, `${field}.constraint`) : undefined;
  const versions: { tag: string; version: semver.SemVer }[] = [];
  for (const tag of tags) {
    if (!allowed(tag)) continue;
    const version = parseTagVersion(tag, options.strictSemvers);
    if (!version) continue;
    if (range && !range.test(version)) continue;
    versions.push({ tag, version });
  }
  versions.sort((a, b) => b.version.compare(a.version) || compareText(b.tag, a.tag));
  return versions.slice(0, options.discoveryLimit).map((v) => v.tag);
}

/** Tags that pass the allow/ignore rules, in reverse lexical order, at most `discoveryLimit`. */
export function selectLexicalTags(tags: readonly string[], options: TagFilterOptions & { discoveryLimit: number }, field: string): string[] {
  const allowed = compileTagFilters(options, field);
  return tags
    .filter(allowed)
    .sort((a, b) => compareText(b, a))
    .slice(0, options.discoveryLimit);
}

/** Candidates ordered by creation time, newest first (ties by tag text), at most `limit`. */
export function selectNewestBuilds<T extends { tag: string; createdAt: string }>(candidates: readonly T[], limit: number): T[] {
  return [...candidates]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || compareText(b.tag, a.tag))
    .slice(0, limit);
}

// Byte-wise comparison, as Go's sort on strings does (localeCompare would depend on the locale).
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
