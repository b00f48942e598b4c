import semver from "semver";

// Lenient form (as Kargo's non-strict parsing accepts): "1", "v1.2", "1.2.3-rc.1+build".
const LENIENT = /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
// Strict form: exactly major.minor.patch, with an optional leading "v".
const STRICT = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Reads a tag as a semantic version, or undefined when it is not one. With `strict`, only
 * `X.Y.Z` (optionally `vX.Y.Z`) counts, which is Kargo's `strictSemvers: true` default; otherwise
 * missing minor/patch parts are read as zero.
 */
export function parseTagVersion(tag: string, strict: boolean): semver.SemVer | undefined {
  const match = (strict ? STRICT : LENIENT).exec(tag);
  if (!match) return undefined;
  const [, major, minor = "0", patch = "0", prerelease = "", build = ""] = match;
  return semver.parse(`${major}.${minor}.${patch}${prerelease}${build}`) ?? undefined;
}
