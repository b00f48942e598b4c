import { z } from "zod";
import { flag, fromOrigin, oneOf, text } from "./config-values.js";

const kustomizeImage = z.strictObject({
  image: text,
  name: text.optional(),
  newName: text.optional(),
  tag: text.optional(),
  digest: text.optional(),
  useDigest: flag.optional(),
  fromOrigin: fromOrigin.optional(),
}).refine((i) => !(i.tag && i.digest), { message: "set tag or digest, not both" });

export const MANIFEST_STEP_SCHEMAS = {
  "kustomize-set-image": z.strictObject({ path: text, images: z.array(kustomizeImage).min(1) }),
  "kustomize-build": z.strictObject({
    path: text,
    outPath: text,
    plugin: z.strictObject({ helm: z.strictObject({ apiVersions: z.array(text).optional(), kubeVersion: text.optional() }).optional() }).optional(),
  }),
  "helm-template": z.strictObject({
    path: text,
    outPath: text,
    outLayout: oneOf(["flat", "helm"]).optional(),
    releaseName: text.optional(),
    useReleaseName: flag.optional(),
    namespace: text.optional(),
    valuesFiles: z.array(text).optional(),
    setValues: z.array(z.strictObject({ key: text, value: z.string(), literal: flag.optional() })).optional(),
    buildDependencies: flag.optional(),
    includeCRDs: flag.optional(),
    disableHooks: flag.optional(),
    skipTests: flag.optional(),
    kubeVersion: text.optional(),
    apiVersions: z.array(text).optional(),
  }),
  "helm-update-chart": z.strictObject({
    path: text,
    charts: z.array(z.strictObject({ repository: text, name: text, version: text.optional(), fromOrigin: fromOrigin.optional() })).min(1),
  }),
  "helm-update-image": z.strictObject({
    path: text,
    images: z.array(z.strictObject({ image: text, key: text, value: oneOf(["Tag", "Digest", "ImageAndTag", "ImageAndDigest"]), fromOrigin: fromOrigin.optional() })).min(1),
  }),
};
