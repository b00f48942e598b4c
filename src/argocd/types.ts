/**
 * The part of Argo CD's API (v3.5 swagger, `v1alpha1*` definitions) that Stagecoach reads and
 * writes. Field names and optionality follow the swagger: Argo CD omits empty fields.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
}

export interface HelmParameter {
  name?: string;
  value?: string;
  forceString?: boolean;
}

export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  ref?: string;
  name?: string;
  helm?: { parameters?: HelmParameter[]; valueFiles?: string[]; values?: string; releaseName?: string };
  kustomize?: { images?: string[]; namePrefix?: string; nameSuffix?: string; namespace?: string };
  directory?: { recurse?: boolean; include?: string; exclude?: string };
}

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface SyncPolicy {
  automated?: { enabled?: boolean; prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean };
  syncOptions?: string[];
}

export interface ApplicationSpec {
  project?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination?: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  revisionHistoryLimit?: number;
}

export interface Info {
  name?: string;
  value?: string;
}

export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: { username?: string; automated?: boolean };
  info?: Info[];
}

export interface OperationState {
  operation?: Operation;
  /** Running | Terminating | Succeeded | Failed | Error */
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: { revision?: string; revisions?: string[]; source?: ApplicationSource; sources?: ApplicationSource[] };
}

export interface SyncStatus {
  /** Synced | OutOfSync | Unknown */
  status?: string;
  revision?: string;
  revisions?: string[];
  comparedTo?: { source?: ApplicationSource; sources?: ApplicationSource[]; destination?: ApplicationDestination };
}

export interface HealthStatus {
  /** Healthy | Progressing | Suspended | Degraded | Missing | Unknown */
  status?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ApplicationCondition {
  type?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface RevisionHistory {
  id?: number;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  initiatedBy?: { username?: string; automated?: boolean };
}

export interface ResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  health?: HealthStatus;
}

export interface ApplicationStatus {
  sync?: SyncStatus;
  health?: HealthStatus;
  operationState?: OperationState;
  conditions?: ApplicationCondition[];
  history?: RevisionHistory[];
  resources?: ResourceStatus[];
  reconciledAt?: string;
  sourceType?: string;
  sourceTypes?: string[];
}

export interface Application {
  metadata?: ObjectMeta;
  spec?: ApplicationSpec;
  status?: ApplicationStatus;
  operation?: Operation;
}

export interface ApplicationList {
  items?: Application[];
  metadata?: { resourceVersion?: string };
}

export interface SyncRequest {
  name: string;
  appNamespace?: string;
  project?: string;
  revision?: string;
  revisions?: string[];
  sourcePositions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  infos?: Info[];
}

export interface ResourceNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  health?: HealthStatus;
  images?: string[];
  parentRefs?: Array<{ group?: string; kind?: string; namespace?: string; name?: string; uid?: string; version?: string }>;
  resourceVersion?: string;
  createdAt?: string;
}

export interface ApplicationTree {
  nodes?: ResourceNode[];
  orphanedNodes?: ResourceNode[];
}

export interface ManifestResponse {
  manifests?: string[];
  namespace?: string;
  server?: string;
  revision?: string;
  sourceType?: string;
}

/** The error body grpc-gateway sends with every non-2xx answer (`runtimeError`). */
export interface RuntimeError {
  code?: number;
  error?: string;
  message?: string;
}

/** One object of a server-side diff: its live and target states as JSON text. */
export interface ResourceDiff {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  liveState?: string;
  targetState?: string;
  predictedLiveState?: string;
  modified?: boolean;
  resourceVersion?: string;
}

export interface ServerSideDiffResponse {
  items?: ResourceDiff[];
  modified?: boolean;
}
