import { ArgoCdError } from "./argocd-error.js";
import type { AppRef, ArgoCdClient } from "./client.js";
import { formatLabelSelector, type LabelSelector } from "./format-label-selector.js";
import type { Application } from "./types.js";

export const DEFAULT_APP_NAMESPACE = "argocd";

export interface AppSelection {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
}

/** The Applications one `apps[]` entry names: one by name, or every match of its label selector. */
export async function resolveApps(client: ArgoCdClient, selection: AppSelection, field: string): Promise<Application[]> {
  const namespace = selection.namespace ?? DEFAULT_APP_NAMESPACE;
  if (selection.name && selection.selector) throw new ArgoCdError(`${field}: give name or selector, not both.`, "invalid");
  if (selection.name) return [await client.getApplication({ name: selection.name, namespace })];
  if (!selection.selector) throw new ArgoCdError(`${field}: name or selector is required to pick the Argo CD Application.`, "invalid");
  let selector: string;
  try {
    selector = formatLabelSelector(selection.selector);
  } catch (error) {
    throw new ArgoCdError(`${field}.${(error as Error).message}`, "invalid");
  }
  const apps = await client.listApplications({ selector, appNamespace: namespace });
  if (apps.length === 0) {
    throw new ArgoCdError(`${field}.selector "${selector}" matched no Application in namespace ${namespace} on ${client.server}: check the labels on your Applications.`, "not-found");
  }
  return apps;
}

export function refOf(app: Application): AppRef {
  return { name: app.metadata?.name ?? "", namespace: app.metadata?.namespace ?? DEFAULT_APP_NAMESPACE };
}
