import { isMultiSource, sourcesOf } from "../../argocd/application-sources.js";
import type { Application, ApplicationSource, HealthStatus, Info, SyncOperation } from "../../argocd/types.js";

/** What a finished sync leaves behind; tests script it per Application. */
export interface SyncOutcome {
  /** Failed makes the sync operation itself fail (health is then left as it was). */
  phase: "Succeeded" | "Failed";
  health: "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing";
  message?: string;
}

export const HEALTHY_OUTCOME: SyncOutcome = { phase: "Succeeded", health: "Healthy" };

/** Resolves a source's targetRevision to the revision Argo CD would compare to (a SHA, a chart version). */
export type ResolveRevision = (source: ApplicationSource) => string;

/** The state Argo CD's controller reaches after comparing the spec to Git: OutOfSync when the target moved. */
export function refresh(app: Application, resolve: ResolveRevision, now: Date): Application {
  const next = structuredClone(app);
  const targets = sourcesOf(next).map(resolve);
  const deployed = deployedRevisions(next);
  const inSync = deployed !== undefined && sameList(deployed, targets);
  next.status = {
    ...next.status,
    sync: {
      status: inSync ? "Synced" : "OutOfSync",
      ...revisionFields(next, targets),
      comparedTo: comparedTo(next),
    },
    reconciledAt: now.toISOString(),
  };
  return next;
}

/** A sync was requested (by the API or by auto-sync): the operation is Running. */
export function beginSync(app: Application, operation: SyncOperation, initiatedBy: { username?: string; automated?: boolean }, now: Date, info: Info[] = []): Application {
  const next = structuredClone(app);
  next.operation = { sync: operation, initiatedBy, ...(info.length ? { info } : {}) };
  next.status = {
    ...next.status,
    operationState: { operation: next.operation, phase: "Running", message: "one or more tasks are running", startedAt: now.toISOString() },
  };
  return next;
}

/** The running operation finished the way the test scripted it. */
export function finishSync(app: Application, outcome: SyncOutcome, resolve: ResolveRevision, now: Date): Application {
  const next = structuredClone(app);
  const state = next.status?.operationState;
  if (!state || state.phase !== "Running") return next;
  const sources = sourcesOf(next);
  const targets = sources.map(resolve);
  const requested = state.operation?.sync;
  // A sync may name its own revision (a branch, a SHA, a chart version); Argo CD resolves it like a target.
  const wanted = isMultiSource(next) ? sources.map((_, index) => requested?.revisions?.[index]) : [requested?.revision];
  const synced = targets.map((target, index) => (wanted[index] ? resolve({ ...sources[index], targetRevision: wanted[index] }) : target));
  delete next.operation;
  const finishedAt = now.toISOString();
  if (outcome.phase === "Failed") {
    next.status = {
      ...next.status,
      operationState: { ...state, phase: "Failed", message: outcome.message ?? "one or more objects failed to apply", finishedAt },
    };
    return next;
  }
  const health: HealthStatus = { status: outcome.health, lastTransitionTime: finishedAt };
  if (outcome.message) health.message = outcome.message;
  const history = next.status?.history ?? [];
  next.status = {
    ...next.status,
    operationState: {
      ...state,
      phase: "Succeeded",
      message: "successfully synced (all tasks run)",
      finishedAt,
      syncResult: { ...revisionFields(next, synced), ...sourceFields(next) },
    },
    sync: { status: sameList(synced, targets) ? "Synced" : "OutOfSync", ...revisionFields(next, synced), comparedTo: comparedTo(next) },
    health,
    history: [
      ...history,
      { id: history.length, ...revisionFields(next, synced), ...sourceFields(next), deployStartedAt: state.startedAt, deployedAt: finishedAt, initiatedBy: state.operation?.initiatedBy },
    ],
    resources: (next.status?.resources ?? []).map((resource) => ({ ...resource, status: "Synced", health })),
    reconciledAt: finishedAt,
  };
  return next;
}

export function setHealth(app: Application, status: SyncOutcome["health"], message: string | undefined, now: Date): Application {
  const next = structuredClone(app);
  const health: HealthStatus = { status, lastTransitionTime: now.toISOString() };
  if (message) health.message = message;
  next.status = { ...next.status, health, resources: (next.status?.resources ?? []).map((resource) => ({ ...resource, health })) };
  return next;
}

function deployedRevisions(app: Application): string[] | undefined {
  const result = app.status?.operationState?.phase === "Succeeded" ? app.status.operationState.syncResult : undefined;
  if (!result) return undefined;
  return isMultiSource(app) ? result.revisions : result.revision === undefined ? undefined : [result.revision];
}

function revisionFields(app: Application, revisions: string[]): { revision?: string; revisions?: string[] } {
  return isMultiSource(app) ? { revisions } : { revision: revisions[0] ?? "" };
}

function sourceFields(app: Application): { source?: ApplicationSource; sources?: ApplicationSource[] } {
  return isMultiSource(app) ? { sources: structuredClone(app.spec?.sources ?? []) } : { source: structuredClone(app.spec?.source ?? {}) };
}

function comparedTo(app: Application) {
  return { ...sourceFields(app), destination: structuredClone(app.spec?.destination ?? {}) };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
