import { isAutoSync } from "./application-sources.js";
import { ArgoCdError } from "./argocd-error.js";
import { checkAuthorizedStage } from "./check-authorized-stage.js";
import type { ArgoCdClient } from "./client.js";
import { evaluateAppState } from "./evaluate-app-state.js";
import { planSourceUpdate, type SourceUpdatePlan } from "./plan-source-update.js";
import { refOf, resolveApps } from "./resolve-apps.js";
import type { Application } from "./types.js";
import type { ArgoCdUpdateConfig, FreightArtifacts } from "./update-config.js";

export interface UpdateContext {
  project: string;
  stage: string;
  freight: FreightArtifacts;
}

/** What argocd-update did to one Application; argocd-wait takes `name`, `namespace` and `expectedRevisions`. */
export interface UpdatedApp {
  name: string;
  namespace: string;
  expectedRevisions: Array<string | undefined>;
  changes: string[];
  /** "triggered": we asked for a sync; "auto": Argo CD syncs it itself; "not-needed": already there; "running": a sync was already under way. */
  sync: "triggered" | "auto" | "not-needed" | "running";
}

/**
 * Kargo's argocd-update: every Application is resolved, authorized and planned before the first
 * write, so a config mistake changes nothing. Safe to run again after a crash: an unchanged spec
 * is not written twice, and an app already at its revisions is not synced again.
 */
export async function updateArgoCdApps(client: ArgoCdClient, config: ArgoCdUpdateConfig, context: UpdateContext): Promise<UpdatedApp[]> {
  const planned: Array<{ app: Application; plan: SourceUpdatePlan }> = [];
  for (const [index, entry] of config.apps.entries()) {
    const field = `argocd-update apps[${index}]`;
    for (const app of await resolveApps(client, entry, field)) {
      const authorization = checkAuthorizedStage(app, context.project, context.stage);
      if (!authorization.authorized) throw new ArgoCdError(authorization.reason, "forbidden");
      try {
        planned.push({ app, plan: planSourceUpdate(app, entry, context.freight) });
      } catch (error) {
        throw new ArgoCdError((error as Error).message.replace("argocd-update ", `${field}.`), "invalid");
      }
    }
  }

  const results: UpdatedApp[] = [];
  for (const { app, plan } of planned) {
    const ref = refOf(app);
    const current = plan.changed ? await client.updateApplication({ ...app, spec: plan.spec }) : app;
    results.push({ ...ref, expectedRevisions: plan.expectedRevisions, changes: plan.changes, sync: await syncIfNeeded(client, current, plan, context) });
  }
  return results;
}

async function syncIfNeeded(client: ArgoCdClient, app: Application, plan: SourceUpdatePlan, context: UpdateContext): Promise<UpdatedApp["sync"]> {
  if (isAutoSync(app)) return "auto";
  if (app.status?.operationState?.phase === "Running") return "running";
  // Without a revision to compare, a Synced app may simply not have noticed the merge yet: sync anyway.
  const pinned = plan.expectedRevisions.some((revision) => revision !== undefined);
  if (pinned && evaluateAppState(app, plan.expectedRevisions).phase === "Healthy") return "not-needed";
  await client.syncApplication(refOf(app), {
    project: app.spec?.project,
    reason: `Stagecoach promoted freight ${context.freight.name ?? ""} to stage ${context.stage} of project ${context.project}`,
  });
  return "triggered";
}
