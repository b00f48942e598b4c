import { createHash } from "node:crypto";
import { normalizeChartReference, normalizeGitURL } from "./normalize-urls.js";
import type { FreightArtifacts, FreightOrigin } from "./types.js";

/**
 * The freight ID exactly as Kargo computes it: SHA-1 (hex) of `<kind>/<name>:` followed by the
 * sorted artifact parts joined with `|`. An image part keeps the subscription's repoURL as written
 * and carries both tag and digest (a mutable tag with a new digest is new freight); a commit part
 * includes its tag when it has one (a re-tagged commit is new freight).
 */
export function computeFreightId(origin: FreightOrigin, artifacts: FreightArtifacts): string {
  const parts = [
    ...(artifacts.commits ?? []).map((c) => (c.tag ? `${normalizeGitURL(c.repoURL)}:${c.tag}:${c.id}` : `${normalizeGitURL(c.repoURL)}:${c.id}`)),
    ...(artifacts.images ?? []).map((i) => `${i.repoURL}:${i.tag}@${i.digest ?? ""}`),
    ...(artifacts.charts ?? []).map((c) => `${normalizeChartReference(c.repoURL, c.name)}:${c.version}`),
  ].sort(compareBytes);
  return createHash("sha1").update(`${origin.kind}/${origin.name}:${parts.join("|")}`).digest("hex");
}

// Go's slices.Sort on strings compares bytes; JS's default sort compares UTF-16 units, which
// differs only above U+FFFF, so compare the UTF-8 bytes to be exact.
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
