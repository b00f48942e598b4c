import { isMultiSource, sourcesOf } from "./application-sources.js";
import type { Application } from "./types.js";

/** Where one Application stands, as argocd-wait sees it. */
export type AppPhase = "Healthy" | "Progressing" | "Degraded" | "OutOfSync" | "Unknown";

/** Kargo's stage health. */
export type StageHealth = "Healthy" | "Progressing" | "Unhealthy" | "Unknown" | "NotApplicable";

export interface AppState {
  app: string;
  phase: AppPhase;
  health: StageHealth;
  message: string;
}

/** What the app must have reached: one revision (single source) or one per source position. */
export type ExpectedRevision = string | ReadonlyArray<string | undefined> | undefined;

const STAGE_HEALTH: Record<AppPhase, StageHealth> = {
  Healthy: "Healthy",
  Progressing: "Progressing",
  Degraded: "Unhealthy",
  OutOfSync: "Unhealthy",
  Unknown: "Unknown",
};

const RUNNING_OPERATION = new Set(["Running", "Terminating"]);
const FAILED_OPERATION = new Set(["Failed", "Error"]);

const BY_APP_HEALTH: Record<string, (message: string) => [AppPhase, string]> = {
  Healthy: () => ["Healthy", "Synced and Healthy"],
  Progressing: (message) => ["Progressing", `Synced, health Progressing${message}`],
  Suspended: (message) => ["Progressing", `Synced, health Suspended${message} (a paused rollout or job; it resumes on its own or by hand)`],
  Degraded: (message) => ["Degraded", `Synced, health Degraded${message}`],
  Missing: (message) => ["Unknown", `Synced, but resources are Missing${message}`],
};

type Rule = (app: Application, expected: Array<string | undefined>) => [AppPhase, string] | undefined;

/** Checked in order; the first rule that speaks decides. */
const RULES: Rule[] = [
  (app) => (!app.status?.sync && !app.status?.health ? ["Unknown", "Argo CD has not reported on it yet"] : undefined),
  (app) => {
    const errors = (app.status?.conditions ?? []).filter((c) => c.type?.endsWith("Error"));
    return errors.length > 0 ? ["Degraded", errors.map((c) => `${c.type}: ${c.message ?? ""}`).join("; ")] : undefined;
  },
  (app) => {
    const state = app.status?.operationState;
    return state?.phase && RUNNING_OPERATION.has(state.phase) ? ["Progressing", `sync operation ${state.phase}${state.message ? `: ${state.message}` : ""}`] : undefined;
  },
  (app, expected) => {
    const state = app.status?.operationState;
    if (!state?.phase || !FAILED_OPERATION.has(state.phase)) return undefined;
    const sync = state.operation?.sync;
    const attempted = isMultiSource(app) ? (sync?.revisions ?? []) : [sync?.revision];
    // An old failure for another revision says nothing about the one we wait for.
    const forExpected = expected.every((revision, index) => revision === undefined || !attempted[index] || revisionMatches(attempted[index], revision));
    return forExpected ? ["Degraded", `sync ${state.phase}: ${state.message ?? "no message"}`] : undefined;
  },
  (app, expected) => {
    if (isAtExpected(app, expected)) return undefined;
    const current = isMultiSource(app) ? (app.status?.sync?.revisions ?? []).join(", ") : app.status?.sync?.revision;
    const wanted = expected.filter((r) => r !== undefined).join(", ");
    return ["Progressing", `waiting for Argo CD to reach revision ${wanted} (it is at ${current || "no revision yet"})`];
  },
  (app) => (app.status?.sync?.status === "OutOfSync" ? ["OutOfSync", "OutOfSync: the live state differs from the desired revision"] : undefined),
  (app) => (app.status?.sync?.status !== "Synced" ? ["Unknown", `sync status ${app.status?.sync?.status ?? "not reported"}`] : undefined),
  (app) => {
    const health = app.status?.health;
    const message = health?.message ? `: ${health.message}` : "";
    return BY_APP_HEALTH[health?.status ?? ""]?.(message) ?? ["Unknown", `health ${health?.status ?? "not reported"}${message}`];
  },
];

/**
 * Where an Application stands relative to the revision a promotion set: Healthy only when it is
 * Synced and Healthy at that revision. Pure: reads the Application as Argo CD returned it.
 */
export function evaluateAppState(app: Application, expectedRevision?: ExpectedRevision): AppState {
  const expected = typeof expectedRevision === "string" ? [expectedRevision] : [...(expectedRevision ?? [])];
  const name = `${app.metadata?.namespace ?? "argocd"}/${app.metadata?.name ?? "?"}`;
  for (const rule of RULES) {
    const verdict = rule(app, expected);
    if (verdict) return { app: name, phase: verdict[0], health: STAGE_HEALTH[verdict[0]], message: `${name}: ${verdict[1]}` };
  }
  return { app: name, phase: "Unknown", health: "Unknown", message: `${name}: no verdict` };
}

const HEALTH_ORDER: StageHealth[] = ["Unhealthy", "Unknown", "Progressing", "Healthy"];

/** A stage is as healthy as its least healthy app; with no Argo CD apps, health does not apply. */
export function aggregateStageHealth(states: AppState[]): StageHealth {
  if (states.length === 0) return "NotApplicable";
  return HEALTH_ORDER.find((health) => states.some((state) => state.health === health)) ?? "Unknown";
}

/**
 * Argo CD reports full SHAs; a promotion may name a short SHA, a branch or a chart version.
 * A name also counts once Argo CD has compared the app against that very targetRevision.
 */
function isAtExpected(app: Application, expected: Array<string | undefined>): boolean {
  const sync = app.status?.sync;
  const reported = isMultiSource(app) ? (sync?.revisions ?? []) : [sync?.revision];
  const compared = sync?.comparedTo?.sources ?? (sync?.comparedTo?.source ? [sync.comparedTo.source] : []);
  const count = Math.max(sourcesOf(app).length, 1);
  return expected.slice(0, count).every((revision, index) => {
    if (revision === undefined) return true;
    return revisionMatches(reported[index], revision) || compared[index]?.targetRevision === revision;
  });
}

function revisionMatches(reported: string | undefined, expected: string): boolean {
  if (!reported) return false;
  if (reported === expected) return true;
  return /^[0-9a-f]{7,39}$/i.test(expected) && reported.toLowerCase().startsWith(expected.toLowerCase());
}
