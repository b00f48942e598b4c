import { describe, expect, it } from "vitest";
import { aggregateStageHealth, evaluateAppState, type AppPhase, type AppState, type StageHealth } from "../../src/argocd/evaluate-app-state.js";
import type { Application, ApplicationStatus } from "../../src/argocd/types.js";
import { gitApp, multiSourceApp } from "./support/applications.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const OLD = "fedcba9876543210fedcba9876543210fedcba98";

const withStatus = (status: ApplicationStatus, app: Application = gitApp("web")): Application => ({ ...app, status });
const synced = (revision: string, health: string, message?: string): ApplicationStatus => ({
  sync: { status: "Synced", revision, comparedTo: { source: { targetRevision: revision } } },
  health: { status: health, ...(message ? { message } : {}) },
});

describe("evaluateAppState", () => {
  it.each<[string, ApplicationStatus, string | undefined, AppPhase, StageHealth, string]>([
    ["Synced and Healthy at the revision", synced(SHA, "Healthy"), SHA, "Healthy", "Healthy", "Synced and Healthy"],
    ["a short SHA", synced(SHA, "Healthy"), SHA.slice(0, 7), "Healthy", "Healthy", "Synced and Healthy"],
    ["no revision to wait for", synced(OLD, "Healthy"), undefined, "Healthy", "Healthy", "Synced and Healthy"],
    ["still at the old revision", synced(OLD, "Healthy"), SHA, "Progressing", "Progressing", `reach revision ${SHA} (it is at ${OLD})`],
    ["a sync running", { ...synced(OLD, "Healthy"), operationState: { phase: "Running", message: "one or more tasks are running" } }, SHA, "Progressing", "Progressing", "sync operation Running: one or more tasks are running"],
    ["health Progressing", synced(SHA, "Progressing", "Waiting for rollout to finish: 1 of 3 updated"), SHA, "Progressing", "Progressing", "health Progressing: Waiting for rollout to finish: 1 of 3 updated"],
    ["health Suspended", synced(SHA, "Suspended"), SHA, "Progressing", "Progressing", "paused rollout"],
    ["health Degraded", synced(SHA, "Degraded", "Deployment web: CrashLoopBackOff"), SHA, "Degraded", "Unhealthy", "health Degraded: Deployment web: CrashLoopBackOff"],
    ["Degraded at the old revision while the new one waits", synced(OLD, "Degraded"), SHA, "Progressing", "Progressing", "waiting for Argo CD"],
    ["resources Missing", synced(SHA, "Missing"), SHA, "Unknown", "Unknown", "Missing"],
    ["OutOfSync at the revision", { sync: { status: "OutOfSync", revision: SHA }, health: { status: "Healthy" } }, SHA, "OutOfSync", "Unhealthy", "OutOfSync"],
    ["sync status Unknown", { sync: { status: "Unknown", revision: SHA }, health: { status: "Healthy" } }, SHA, "Unknown", "Unknown", "sync status Unknown"],
    ["no status at all", {}, SHA, "Unknown", "Unknown", "has not reported"],
    ["a health status Argo CD never sends", synced(SHA, "Sparkly"), SHA, "Unknown", "Unknown", "health Sparkly"],
    ["an error condition", { ...synced(SHA, "Healthy"), conditions: [{ type: "ComparisonError", message: "revision xyz not found" }] }, SHA, "Degraded", "Unhealthy", "ComparisonError: revision xyz not found"],
    ["a warning condition only", { ...synced(SHA, "Healthy"), conditions: [{ type: "SharedResourceWarning", message: "shared" }] }, SHA, "Healthy", "Healthy", "Synced and Healthy"],
    ["a failed sync to the revision", { ...synced(OLD, "Healthy"), operationState: { phase: "Failed", message: "one or more objects failed to apply", operation: { sync: { revision: SHA } } } }, SHA, "Degraded", "Unhealthy", "sync Failed: one or more objects failed to apply"],
    ["an old failed sync to another revision", { ...synced(OLD, "Healthy"), operationState: { phase: "Failed", operation: { sync: { revision: OLD } } } }, SHA, "Progressing", "Progressing", "waiting for Argo CD"],
  ])("%s", (_label, status, expected, phase, health, message) => {
    const state = evaluateAppState(withStatus(status), expected);
    expect(state).toMatchObject({ app: "argocd/web", phase, health });
    expect(state.message).toContain(message);
  });

  it("accepts a branch name once Argo CD compared the app against it", () => {
    const app = withStatus({ sync: { status: "Synced", revision: SHA, comparedTo: { source: { targetRevision: "release-1" } } }, health: { status: "Healthy" } });
    expect(evaluateAppState(app, "release-1").phase).toBe("Healthy");
  });

  it("checks each source of a multi-source app at its position", () => {
    const app = withStatus({ sync: { status: "Synced", revisions: ["1.3.0", SHA] }, health: { status: "Healthy" } }, multiSourceApp("web"));
    expect(evaluateAppState(app, ["1.3.0", undefined]).phase).toBe("Healthy");
    expect(evaluateAppState(app, [undefined, SHA]).phase).toBe("Healthy");
    expect(evaluateAppState(app, ["1.4.0", SHA])).toMatchObject({ phase: "Progressing", message: expect.stringContaining("it is at 1.3.0, " + SHA) });
  });
});

describe("aggregateStageHealth", () => {
  const state = (health: StageHealth): AppState => ({ app: "a", phase: "Unknown", health, message: "" });
  it.each<[StageHealth[], StageHealth]>([
    [[], "NotApplicable"],
    [["Healthy", "Healthy"], "Healthy"],
    [["Healthy", "Progressing"], "Progressing"],
    [["Progressing", "Unknown"], "Unknown"],
    [["Unknown", "Unhealthy", "Healthy"], "Unhealthy"],
  ])("%j → %s", (healths, expected) => {
    expect(aggregateStageHealth(healths.map(state))).toBe(expected);
  });
});
