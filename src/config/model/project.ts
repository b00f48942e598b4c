import { z } from "zod";
import { PromotionTaskSchema } from "./promotion-step.js";
import { StageSchema } from "./stage.js";
import { WarehouseSchema } from "./warehouse.js";

export const StageSelectorSchema = z.strictObject({
  name: z.string().min(1).optional().describe("An exact name, or glob:/regex: prefixed pattern"),
  matchLabels: z.record(z.string(), z.string()).optional(),
});

export const PromotionPolicySchema = z.strictObject({
  stage: z.string().min(1).optional(),
  stageSelector: StageSelectorSchema.optional(),
  autoPromotionEnabled: z.boolean().default(false),
}).refine((p) => (p.stage === undefined) !== (p.stageSelector === undefined), { message: "a promotion policy names one stage or one stageSelector" });

/** Stagecoach's own project settings (Kargo's ProjectConfig has no such section). */
export const ProjectGitHubSchema = z.strictObject({
  dashboard: z.boolean().default(true).describe("Keep a promotion dashboard issue in the repository (stage status, promotable freight as checkboxes)"),
});

export const ProjectConfigSchema = z.strictObject({
  promotionPolicies: z.array(PromotionPolicySchema).default([]),
  github: ProjectGitHubSchema.prefault({}),
});

/** One GitOps repository's pipeline, whichever file form it came from. */
export const ProjectSchema = z.strictObject({
  name: z.string().min(1),
  config: ProjectConfigSchema,
  warehouses: z.array(WarehouseSchema),
  stages: z.array(StageSchema),
  promotionTasks: z.array(PromotionTaskSchema),
});

export type StageSelector = z.infer<typeof StageSelectorSchema>;
export type PromotionPolicy = z.infer<typeof PromotionPolicySchema>;
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;
export type Project = z.infer<typeof ProjectSchema>;
/** One stage of a project, as the model holds it. */
export type ProjectStage = Project["stages"][number];
