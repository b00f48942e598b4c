import { z } from "zod";

export const PromotionVarSchema = z.strictObject({
  name: z.string().min(1),
  value: z.unknown().optional().describe("Omit in a PromotionTask to make the var required"),
});

export const PromotionStepSchema = z.strictObject({
  uses: z.string().min(1).optional(),
  task: z.strictObject({ name: z.string().min(1), kind: z.enum(["PromotionTask", "ClusterPromotionTask"]).default("PromotionTask") }).optional(),
  as: z.string().regex(/^[a-zA-Z0-9_-]+$/, "use letters, digits, '-' and '_' so outputs['alias'] can name it").optional(),
  if: z.string().min(1).optional(),
  continueOnError: z.boolean().optional(),
  retry: z.strictObject({ timeout: z.string().min(1).optional(), errorThreshold: z.number().int().min(1).optional() }).optional(),
  vars: z.array(PromotionVarSchema).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
}).refine((s) => (s.uses === undefined) !== (s.task === undefined), { message: "a step needs exactly one of uses (a built-in step) or task (a PromotionTask)" });

export const PromotionTemplateSchema = z.strictObject({
  spec: z.strictObject({ vars: z.array(PromotionVarSchema).optional(), steps: z.array(PromotionStepSchema).default([]) }),
});

export const PromotionTaskSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(["PromotionTask", "ClusterPromotionTask"]).default("PromotionTask"),
  spec: z.strictObject({ vars: z.array(PromotionVarSchema).optional(), steps: z.array(PromotionStepSchema).min(1) }),
});

export type PromotionVar = z.infer<typeof PromotionVarSchema>;
export type PromotionStep = z.infer<typeof PromotionStepSchema>;
export type PromotionTemplate = z.infer<typeof PromotionTemplateSchema>;
export type PromotionTask = z.infer<typeof PromotionTaskSchema>;
