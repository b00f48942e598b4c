import { compileUserRegex, describePatternProblem } from "../../text/compile-user-regex.js";
import { DiscoveryError } from "../types.js";

export interface TagFilterOptions {
  allowTagsRegexes?: string[];
  ignoreTagsRegexes?: string[];
}

/** Registry tags are at most 128 characters; anything longer is not a tag and is not matched. */
const MAX_TAG_LENGTH = 128;

/**
 * A predicate for Kargo's allow/ignore tag rules: an ignored tag never matches; with allow
 * regexes, a tag must match at least one of them. The regexes run in RE2 (linear time, Go's
 * syntax, as in Kargo); one that does not compile is reported with the field that holds it.
 */
export function compileTagFilters(options: TagFilterOptions, fieldPrefix: string): (tag: string) => boolean {
  const allow = compileAll(options.allowTagsRegexes ?? [], `${fieldPrefix}.allowTagsRegexes`);
  const ignore = compileAll(options.ignoreTagsRegexes ?? [], `${fieldPrefix}.ignoreTagsRegexes`);
  return (tag) => {
    if (tag.length > MAX_TAG_LENGTH) return false;
    if (ignore.some((test) => test(tag))) return false;
    return allow.length === 0 || allow.some((test) => test(tag));
  };
}

function compileAll(sources: string[], field: string): ((tag: string) => boolean)[] {
  return sources.map((source, index) => {
    const compiled = compileUserRegex(source);
    if (!compiled.ok) throw new DiscoveryError(`${field}[${index}]: ${describePatternProblem(source, compiled)}`, false);
    return compiled.test;
  });
}
