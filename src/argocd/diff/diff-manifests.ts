import { structuredPatch } from "diff";
import { stringify } from "yaml";
import { maskSecretPair } from "./mask-secret-data.js";
import type { ManifestSet } from "./read-manifests.js";
import { compareResourceKeys, resourceKeyId } from "./resource-key.js";
import type { ManifestDiff, ResourceChange, ResourceKey } from "./types.js";

/** A resource whose YAML is longer than this is reported changed without a line diff. */
const MAX_DIFFED_CHARS = 256 * 1024;
/** Time one resource's diff may take before it is given up (jsdiff's own budget). */
const DIFF_TIMEOUT_MS = 500;

type Manifest = Record<string, unknown>;

/**
 * The difference between two sets of rendered resources, one entry per added, removed or changed
 * resource in a stable order. Each object is written as YAML with its keys sorted, so only real
 * changes show; Secret values are masked before anything is compared or printed.
 */
export function diffManifestSets(before: ManifestSet, after: ManifestSet): ManifestDiff {
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(id);
    const next = after.get(id);
    const change = diffResource((old ?? next)?.key as ResourceKey, old?.object, next?.object);
    if (change) changes.push(change);
    else unchanged += 1;
  }
  changes.sort((a, b) => compareResourceKeys(a.key, b.key));
  return { changes, unchanged };
}

/** One resource's change, or undefined when both sides are the same; either side may be absent. */
export function diffResource(key: ResourceKey, before: Manifest | undefined, after: Manifest | undefined, note?: string): ResourceChange | undefined {
  const [maskedBefore, maskedAfter] = maskSecretPair(before, after);
  const oldText = maskedBefore ? toYaml(maskedBefore) : "";
  const newText = maskedAfter ? toYaml(maskedAfter) : "";
  if (before && after && oldText === newText) return undefined;
  const change = !before ? "added" : !after ? "removed" : "changed";
  const base = { key, change, ...(note ? { note } : {}) } as const;
  if (oldText.length > MAX_DIFFED_CHARS || newText.length > MAX_DIFFED_CHARS) return { ...base, note: `${note ? `${note}; ` : ""}too large to show a line diff (over ${MAX_DIFFED_CHARS / 1024} KiB of YAML)` };
  const patch = structuredPatch(resourceKeyId(key), resourceKeyId(key), oldText, newText, "", "", { context: 3, timeout: DIFF_TIMEOUT_MS });
  if (!patch) return { ...base, note: `${note ? `${note}; ` : ""}the line diff took too long to compute` };
  const lines = patch.hunks.flatMap((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines]);
  return { ...base, diff: lines.join("\n") };
}

/** YAML with keys sorted at every level, so two renders that differ only in key order compare equal. */
function toYaml(object: Manifest): string {
  return stringify(object, { sortMapEntries: true, lineWidth: 0 });
}
