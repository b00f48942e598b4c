import type { ResourceDiff, ServerSideDiffResponse } from "../types.js";

/** Which resource: Kubernetes' identity of an object, as Argo CD lists them. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export type ChangeKind = "added" | "removed" | "changed";

/** One resource that differs between what runs (or the target branch) and what the promotion brings. */
export interface ResourceChange {
  key: ResourceKey;
  change: ChangeKind;
  /** A unified diff of the two YAML forms, Secret values masked; absent when the resource was too large to diff. */
  diff?: string;
  /** Why there is no diff, or what to know about it (a hook, a resource that would be pruned). */
  note?: string;
}

export interface ManifestDiff {
  changes: ResourceChange[];
  unchanged: number;
}

/**
 * Argo CD's v1alpha1ResourceDiff (v3.5 swagger), one item of managed-resources and
 * server-side-diff answers: the fields ../types.ts already reads, plus the ones a diff needs.
 */
export type ArgoResourceDiff = ResourceDiff & {
  /** JSON of the live object after Argo CD's normalizations (ignored fields, defaults); what it compares. */
  normalizedLiveState?: string;
  hook?: boolean;
};

/** `/api/v1/applications/{name}/managed-resources` (applicationManagedResourcesResponse). */
export interface ManagedResourcesResponse {
  items?: ArgoResourceDiff[];
}

/** `/api/v1/applications/{name}/server-side-diff` (applicationApplicationServerSideDiffResponse). */
export type ArgoServerSideDiff = Omit<ServerSideDiffResponse, "items"> & { items?: ArgoResourceDiff[] };
