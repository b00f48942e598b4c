import { diffResource } from "./diff-manifests.js";
import { compareResourceKeys } from "./resource-key.js";
import type { ArgoResourceDiff, ArgoServerSideDiff, ManagedResourcesResponse, ManifestDiff, ResourceChange } from "./types.js";

/** Largest state Argo CD may send for one resource (its states are JSON text inside JSON). */
const MAX_STATE_CHARS = 2 * 1024 * 1024;

/**
 * What Argo CD says a sync would change, from a managed-resources or server-side-diff answer, in
 * the same form as a diff of two renders: each modified resource's live state (normalized, as Argo
 * CD compares it) against the state it would have (predicted when Argo CD gives one, else the
 * target from Git). Resources Argo CD does not mark modified are counted as unchanged.
 */
export function changesFromArgoCD(response: ManagedResourcesResponse | ArgoServerSideDiff): ManifestDiff {
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const item of response.items ?? []) {
    if (!item.modified) {
      unchanged += 1;
      continue;
    }
    const key = { group: item.group ?? "", kind: item.kind ?? "", namespace: item.namespace ?? "", name: item.name ?? "" };
    const live = readState(item.normalizedLiveState ?? item.liveState, key.name);
    const wanted = readState(item.predictedLiveState ?? item.targetState, key.name);
    const note = notes(item, live, wanted);
    const change = diffResource(key, live, wanted, note);
    changes.push(change ?? { key, change: "changed", note: note ?? "Argo CD marks it modified; the states it sent are the same once normalized" });
  }
  changes.sort((a, b) => compareResourceKeys(a.key, b.key));
  return { changes, unchanged };
}

function readState(text: string | undefined, name: string): Record<string, unknown> | undefined {
  if (text === undefined || text === "" || text === "null") return undefined;
  if (text.length > MAX_STATE_CHARS) throw new Error(`Argo CD sent ${text.length} characters of state for ${name}, more than the ${MAX_STATE_CHARS} read`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`Argo CD sent a state for ${name} that is not JSON`);
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function notes(item: ArgoResourceDiff, live: unknown, wanted: unknown): string | undefined {
  const parts = [item.hook ? "a hook: it runs during the sync rather than staying in the cluster" : undefined, live && !wanted ? "would be pruned (deleted) if the sync prunes" : undefined];
  const text = parts.filter(Boolean).join("; ");
  return text || undefined;
}
