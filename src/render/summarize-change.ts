import type { Freight } from "../pipeline/types.js";

/** One artifact's move, for the "what changes" part of a promotion pull request. */
export interface ArtifactChange {
  artifact: string;
  from?: string;
  to: string;
}

interface Version {
  shown: string;
  /** What must differ for the artifact to count as changed: a re-pushed tag changes only the digest. */
  identity: string;
  digest?: string;
}

/**
 * What promoting `next` changes compared with what the stage runs now: per image, commit
 * repository and chart, the old and new version. Unchanged artifacts are left out; a tag
 * pushed again with new content shows its digests.
 */
export function summarizeChange(next: Freight, current?: Freight): ArtifactChange[] {
  const before = versionsOf(current);
  return [...versionsOf(next)]
    .filter(([artifact, to]) => before.get(artifact)?.identity !== to.identity)
    .map(([artifact, to]) => {
      const from = before.get(artifact);
      if (from && from.shown === to.shown) return { artifact, from: withDigest(from), to: withDigest(to) };
      return { artifact, from: from?.shown, to: to.shown };
    });
}

function versionsOf(freight: Freight | undefined): Map<string, Version> {
  return new Map<string, Version>([
    ...(freight?.images ?? []).map((i): [string, Version] => [
      i.repoURL,
      { shown: i.tag, identity: `${i.tag}@${i.digest ?? ""}`, digest: i.digest },
    ]),
    ...(freight?.commits ?? []).map((c): [string, Version] => [
      c.repoURL,
      { shown: c.tag ?? c.id.slice(0, 7), identity: c.id },
    ]),
    ...(freight?.charts ?? []).map((c): [string, Version] => [
      c.name ? `${c.repoURL}/${c.name}` : c.repoURL,
      { shown: c.version, identity: c.version },
    ]),
  ]);
}

function withDigest(version: Version): string {
  return version.digest ? `${version.shown} (${version.digest.slice(0, 19)})` : version.shown;
}
