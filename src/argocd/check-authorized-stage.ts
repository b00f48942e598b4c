import type { Application } from "./types.js";

/** Kargo's annotation, and ours for Applications that are not shared with a Kargo install. */
export const AUTHORIZED_STAGE_ANNOTATIONS = ["kargo.akuity.io/authorized-stage", "stagecoach.dev/authorized-stage"] as const;

export type Authorization = { authorized: true } | { authorized: false; reason: string };

/**
 * An Application opts in to being changed by one stage: its annotation must read
 * `<project>:<stage>`. Without it, a GitOps repo could point a promotion at any app Argo CD runs.
 */
export function checkAuthorizedStage(app: Application, project: string, stage: string): Authorization {
  const wanted = `${project}:${stage}`;
  const annotations = app.metadata?.annotations ?? {};
  const present = AUTHORIZED_STAGE_ANNOTATIONS.map((name) => [name, annotations[name]?.trim()] as const).filter(([, value]) => value !== undefined);
  if (present.some(([, value]) => value === wanted)) return { authorized: true };
  const label = `${app.metadata?.namespace ?? "argocd"}/${app.metadata?.name ?? "?"}`;
  const current = present.length > 0 ? ` It is authorized for ${present.map(([name, value]) => `"${value}" (${name})`).join(", ")} instead.` : "";
  return {
    authorized: false,
    reason:
      `Argo CD Application ${label} does not allow stage "${stage}" of project "${project}" to update it.${current} ` +
      `Add the annotation \`kargo.akuity.io/authorized-stage: "${wanted}"\` (or stagecoach.dev/authorized-stage) to the Application's metadata.annotations, ` +
      `e.g. \`kubectl annotate application -n ${app.metadata?.namespace ?? "argocd"} ${app.metadata?.name ?? "<app>"} kargo.akuity.io/authorized-stage=${wanted} --overwrite\`.`,
  };
}
