import { z } from "zod";
import { flag, text } from "./config-values.js";

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(z.strictObject({ key: text, operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() })).optional(),
});

const nameOrSelector = { message: "give the Application's name or a selector (exactly one of them)" };

const source = z.strictObject({
  repoURL: text,
  chart: text.optional(),
  desiredRevision: text.optional(),
  updateTargetRevision: flag.optional(),
  helm: z.strictObject({ images: z.array(z.strictObject({ repoURL: text.optional(), key: text, value: z.string() })).optional() }).optional(),
  kustomize: z.strictObject({
    images: z.array(z.strictObject({ repoURL: text, tag: text.optional(), digest: text.optional(), newName: text.optional(), useDigest: flag.optional() })).optional(),
  }).optional(),
});

const app = { name: text.optional(), namespace: text.optional(), selector: labelSelector.optional() };

export const ARGOCD_STEP_SCHEMAS = {
  "argocd-update": z.strictObject({
    apps: z.array(z.strictObject({ ...app, sources: z.array(source).optional() }).refine((a) => !!a.name !== !!a.selector, nameOrSelector)).min(1),
  }),
  "argocd-wait": z.strictObject({
    // Without apps, argocd-wait waits for the Applications the earlier argocd-update step changed.
    apps: z.array(z.strictObject({ ...app, desiredRevision: text.optional() }).refine((a) => !!a.name !== !!a.selector, nameOrSelector)).min(1).optional(),
    timeout: text.optional(),
  }),
};
