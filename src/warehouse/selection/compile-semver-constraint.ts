import semver from "semver";
import { DiscoveryError } from "../types.js";

/**
 * Turns a Kargo (Masterminds) constraint into a node-semver range. The two grammars agree on
 * `^ ~ x * < > =`, hyphen ranges and `||`; Masterminds also joins ANDed comparators with commas.
 */
export function compileSemverConstraint(constraint: string, field: string): semver.Range {
  const translated = constraint
    .split("||")
    .map((part) => part.replace(/,/g, " ").trim())
    .join(" || ");
  try {
    return new semver.Range(translated);
  } catch {
    throw new DiscoveryError(`${field}: "${constraint}" is not a semver constraint; write one like ^1.2.0, ~1.4 or ">=1.0.0 <2.0.0"`, false);
  }
}
