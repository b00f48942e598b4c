import { z } from "zod";
import { argoCdClientOf, asStepError } from "../../argocd/argocd-step-services.js";
import { updateArgoCdApps } from "../../argocd/update-argocd-apps.js";
import type { FreightArtifacts } from "../../argocd/update-config.js";
import type { FreightReference } from "../../freight/freight-reference.js";
import { defineStep } from "../step-definition.js";
import { appSelection, NAME_OR_SELECTOR } from "../step-support/config-fields.js";

const sourceSchema = z.strictObject({
  repoURL: z.string().min(1),
  chart: z.string().min(1).optional(),
  desiredRevision: z.string().min(1).optional(),
  updateTargetRevision: z.boolean().optional(),
  helm: z.strictObject({ images: z.array(z.strictObject({ key: z.string().min(1), value: z.string(), repoURL: z.string().min(1).optional() })).optional() }).optional(),
  kustomize: z
    .strictObject({
      images: z
        .array(z.strictObject({ repoURL: z.string().min(1), tag: z.string().min(1).optional(), digest: z.string().min(1).optional(), newName: z.string().min(1).optional(), useDigest: z.boolean().optional() }))
        .optional(),
    })
    .optional(),
});

const schema = z.strictObject({ apps: z.array(z.strictObject({ ...appSelection, sources: z.array(sourceSchema).optional() }).refine(...NAME_OR_SELECTOR)).min(1) });

/** All freight of the promotion as one artifact list (a stage may take freight from several warehouses). */
function artifactsOf(freight: FreightReference[]): FreightArtifacts {
  return {
    name: freight.map((f) => f.alias ?? f.name).join("+"),
    commits: freight.flatMap((f) => f.commits ?? []),
    images: freight.flatMap((f) => f.images ?? []),
    charts: freight.flatMap((f) => f.charts ?? []),
  };
}

/**
 * Kargo's argocd-update: points Applications at the promoted revisions and syncs them (auto-sync
 * ones are left to Argo CD). Its outputs.argocdApps tell argocd-wait what to wait for.
 */
export const argocdUpdate = defineStep({
  uses: "argocd-update",
  config: schema,
  async run(config, env) {
    const client = argoCdClientOf(env.services, "argocd-update");
    try {
      const updated = await updateArgoCdApps(client, config, { project: env.promotion.project, stage: env.promotion.stage, freight: artifactsOf(env.promotion.freight) });
      for (const app of updated) env.log.info({ app: `${app.namespace}/${app.name}`, sync: app.sync, changes: app.changes }, "argocd-update: Application updated");
      return {
        phase: "Succeeded",
        message: updated.map((app) => `${app.namespace}/${app.name}: ${app.changes.length ? app.changes.length + " change(s)" : "no change"}, sync ${app.sync}`).join("; "),
        outputs: {
          argocdApps: updated.map((app) => ({
            name: app.name,
            namespace: app.namespace,
            expectedRevisions: app.expectedRevisions.map((revision) => revision ?? null),
            sync: app.sync,
            changes: app.changes,
          })),
        },
      };
    } catch (error) {
      throw asStepError(error, env);
    }
  },
});
