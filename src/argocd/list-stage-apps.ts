import type { ProjectStage } from "../config/index.js";
import type { AppRef } from "./client.js";
import { DEFAULT_APP_NAMESPACE } from "./resolve-apps.js";

/**
 * The Argo CD Applications a stage's steps name (argocd-update, argocd-wait; tasks aside), for
 * the stage's health on the dashboard. Applications chosen by label selector or by an expression
 * are only known once a promotion ran, so they are left out here.
 */
export function listStageApps(stage: ProjectStage): AppRef[] {
  const apps = new Map<string, AppRef>();
  for (const step of stage.spec.promotionTemplate?.spec.steps ?? []) {
    if (step.uses !== "argocd-update" && step.uses !== "argocd-wait") continue;
    const entries = (step.config as { apps?: Array<{ name?: unknown; namespace?: unknown }> } | undefined)?.apps ?? [];
    for (const entry of entries) {
      if (typeof entry.name !== "string" || entry.name.includes("${{")) continue;
      const namespace = typeof entry.namespace === "string" && !entry.namespace.includes("${{") ? entry.namespace : DEFAULT_APP_NAMESPACE;
      apps.set(`${namespace}/${entry.name}`, { name: entry.name, namespace });
    }
  }
  return [...apps.values()];
}
