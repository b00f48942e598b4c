import { z } from "zod";
import { PromotionStepSchema, PromotionTemplateSchema, PromotionVarSchema } from "../model/promotion-step.js";
import { PromotionPolicySchema } from "../model/project.js";
import { GitHubStageSchema, RequestedFreightSchema, VerificationSchema } from "../model/stage.js";
import { WarehouseSpecSchema } from "../model/warehouse.js";

const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use lowercase letters, digits and '-' (a Kubernetes name)");
const names = z.union([name, z.array(name).min(1)]);

const imageRef = z.string().min(1).describe("An image repository your warehouse subscribes to");

/** `kustomize: { path, image }`: set the image in one kustomization (expands to git steps). */
export const KustomizeShortFormSchema = z.strictObject({
  path: z.string().min(1).describe("Directory of the kustomization.yaml, relative to the repository root"),
  image: imageRef.optional(),
  images: z.array(imageRef).min(1).optional(),
}).refine((k) => (k.image === undefined) !== (k.images === undefined), { message: "give image: or images:, one of them" });

/** `yaml: { path, key, image }`: write the image tag (or digest) at a key of a values file. */
export const YamlShortFormSchema = z.strictObject({
  path: z.string().min(1).describe("A YAML file relative to the repository root, e.g. env/dev/values.yaml"),
  key: z.string().min(1).describe("Dotted key to set, e.g. image.tag"),
  image: imageRef,
  value: z.enum(["Tag", "Digest"]).default("Tag"),
});

export const NativeStageSchema = z.strictObject({
  name,
  from: names.optional().describe("A warehouse (freight straight from it) or upstream stage(s)"),
  soak: z.string().regex(/^(\d+(\.\d+)?(s|m|h))+$/, "use a duration such as 30m or 1h").optional().describe("requiredSoakTime in each upstream stage"),
  availability: z.enum(["OneOf", "All"]).optional().describe("availabilityStrategy when there are several upstream stages"),
  autoPromote: z.boolean().optional().describe("Adds a promotion policy with autoPromotionEnabled for this stage"),
  selectionPolicy: z.enum(["NewestFreight", "MatchUpstream"]).optional().describe("autoPromotionOptions.selectionPolicy"),
  requestedFreight: z.array(RequestedFreightSchema).min(1).optional(),
  kustomize: KustomizeShortFormSchema.optional(),
  yaml: YamlShortFormSchema.optional(),
  argocd: names.optional().describe("Argo CD Applications to point at the new commit after the change lands"),
  vars: z.array(PromotionVarSchema).optional(),
  steps: z.array(PromotionStepSchema).optional(),
  promotionTemplate: PromotionTemplateSchema.optional(),
  verification: VerificationSchema.optional(),
  github: GitHubStageSchema.partial().optional(),
}).refine((s) => (s.from === undefined) !== (s.requestedFreight === undefined), { message: "say where the stage's freight comes from: from: <warehouse or stage> or requestedFreight: [...] (one of them)" })
  .refine((s) => [s.kustomize, s.yaml, s.steps, s.promotionTemplate].filter(Boolean).length <= 1, { message: "use one of kustomize:, yaml:, steps: or promotionTemplate: per stage" })
  .refine((s) => s.argocd === undefined || s.kustomize !== undefined || s.yaml !== undefined, { message: "argocd: only goes with the kustomize: or yaml: short form; with steps, add an argocd-update step" });

export const NativeWarehouseSchema = z.strictObject({ name, ...WarehouseSpecSchema.shape });

export const NativePromotionTaskSchema = z.strictObject({
  name,
  kind: z.enum(["PromotionTask", "ClusterPromotionTask"]).optional(),
  vars: z.array(PromotionVarSchema).optional(),
  steps: z.array(PromotionStepSchema).min(1),
});

/** `.github/stagecoach.yml`. */
export const NativeConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  project: name.optional().describe("Project name; defaults to the repository name"),
  repoURL: z.string().min(1).optional().describe("The GitOps repository the short forms clone and push to; the app defaults it to the repository holding this file (stagecoach validate takes --repo-url)"),
  promotionPolicies: z.array(PromotionPolicySchema).optional(),
  dashboard: z.boolean().optional().describe("Keep a promotion dashboard issue in the repository (default true)"),
  warehouses: z.array(NativeWarehouseSchema).default([]),
  stages: z.array(NativeStageSchema).default([]),
  promotionTasks: z.array(NativePromotionTaskSchema).default([]),
}).describe("Stagecoach pipeline (.github/stagecoach.yml)");

export type NativeConfig = z.infer<typeof NativeConfigSchema>;
export type NativeStage = z.infer<typeof NativeStageSchema>;
export type KustomizeShortForm = z.infer<typeof KustomizeShortFormSchema>;
export type YamlShortForm = z.infer<typeof YamlShortFormSchema>;
