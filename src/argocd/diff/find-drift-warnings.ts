import type { Application } from "../types.js";

export type DriftKind = "OutOfSync" | "Degraded" | "Progressing" | "Missing" | "Unknown";

/** Something about an Application, before a promotion, that reviewers should know. */
export interface DriftWarning {
  app: string;
  kind: DriftKind;
  message: string;
}

/** What each state means to someone about to promote; a table so a new state is one row. */
const SYNC_WARNINGS: Record<string, (app: Application) => Omit<DriftWarning, "app"> | undefined> = {
  OutOfSync: (app) => ({
    kind: "OutOfSync",
    message: `is OutOfSync with Git at ${app.status?.sync?.revision?.slice(0, 12) ?? "its revision"}: the cluster already differs from the branch, so the diff below is not all that a sync will change`,
  }),
  Unknown: () => ({ kind: "Unknown", message: "has an Unknown sync status: Argo CD could not compare it (a render or repository error?)" }),
};

const HEALTH_WARNINGS: Record<string, (message: string) => Omit<DriftWarning, "app"> | undefined> = {
  Degraded: (message) => ({ kind: "Degraded", message: `is Degraded${message}: promoting onto an unhealthy stage makes its verification hard to read` }),
  Progressing: (message) => ({ kind: "Progressing", message: `is still Progressing${message}: an earlier change has not finished rolling out` }),
  Missing: (message) => ({ kind: "Missing", message: `has Missing resources${message}` }),
  Unknown: (message) => ({ kind: "Unknown", message: `has Unknown health${message}` }),
};

/** Drift and health warnings for the Applications of a stage, from their status as Argo CD reports it. */
export function findDriftWarnings(apps: readonly Application[]): DriftWarning[] {
  return apps.flatMap((app) => {
    const name = app.metadata?.name ?? "(unnamed)";
    const sync = app.status?.sync?.status;
    const health = app.status?.health?.status;
    const detail = app.status?.health?.message ? ` (${app.status.health.message})` : "";
    const found = [sync ? SYNC_WARNINGS[sync]?.(app) : undefined, health ? HEALTH_WARNINGS[health]?.(detail) : undefined];
    return found.filter((w): w is Omit<DriftWarning, "app"> => w !== undefined).map((w) => ({ app: name, ...w }));
  });
}

/** The warnings as a GitHub alert block, or "" when there are none. */
export function renderDriftWarnings(warnings: readonly DriftWarning[]): string {
  if (warnings.length === 0) return "";
  return ["> [!WARNING]", "> Before this promotion:", ...warnings.map((w) => `> - Application \`${w.app}\` ${w.message.replace(/\n/g, " ")}.`)].join("\n");
}
