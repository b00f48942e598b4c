import { z } from "zod";
import { PromotionTemplateSchema, PromotionVarSchema } from "./promotion-step.js";

const duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, "use a duration such as 30m or 1h");

export const RequestedFreightSchema = z.strictObject({
  origin: z.strictObject({ kind: z.literal("Warehouse").default("Warehouse"), name: z.string().min(1) }),
  sources: z.strictObject({
    direct: z.boolean().optional(),
    stages: z.array(z.string().min(1)).optional(),
    requiredSoakTime: duration.optional(),
    availabilityStrategy: z.enum(["OneOf", "All"]).optional(),
    autoPromotionOptions: z.strictObject({ selectionPolicy: z.enum(["NewestFreight", "MatchUpstream"]).default("NewestFreight") }).optional(),
  }).refine((s) => s.direct === true || (s.stages?.length ?? 0) > 0, { message: "say where freight comes from: direct: true (the warehouse) and/or stages: [upstream]" }),
});

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "use a GitHub login");
const team = z.string().regex(/^(?:[A-Za-z0-9-]+\/)?[A-Za-z0-9._-]+$/, "use a team slug, e.g. platform or acme/platform");

/** How a stage's promotions look and are gated on GitHub (Stagecoach's own section). */
export const GitHubStageSchema = z.strictObject({
  pullRequest: z.boolean().default(true).describe("Open a pull request per promotion; false pushes straight to the target branch"),
  targetBranch: z.string().min(1).optional().describe("Defaults to the repository's default branch"),
  reviewers: z.array(login).default([]),
  teamReviewers: z.array(team).default([]),
  requiredApprovals: z.number().int().min(0).max(20).default(0),
  approvers: z.array(z.union([login, z.string().regex(/^@[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "use @org/team for a team")])).default([]).describe("Whose approvals count; empty = anyone with write access"),
  promoters: z.array(z.union([login, z.string().regex(/^@[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "use @org/team for a team")])).default([]).describe("Who may start a promotion by hand; empty = anyone with write access"),
  autoMerge: z.boolean().default(false),
  mergeMethod: z.enum(["merge", "squash", "rebase"]).default("squash"),
  labels: z.array(z.string().min(1).max(50)).default([]),
  title: z.string().min(1).optional().describe("Handlebars template for the pull request title"),
  body: z.string().min(1).optional().describe("Handlebars template for the pull request body"),
  environment: z.string().min(1).max(255).optional().describe("GitHub environment (deployments); defaults to the stage name"),
  verify: z
    .strictObject({
      workflow: z
        .string()
        .regex(/^[A-Za-z0-9._-]+\.ya?ml$/, "name a workflow file in .github/workflows, e.g. smoke.yml")
        .optional()
        .describe("GitHub Actions workflow dispatched after the promotion with inputs stage, freight and commit; its conclusion decides"),
      ref: z.string().min(1).optional().describe("Branch the workflow runs from; defaults to the repository's default branch"),
      checks: z.array(z.string().min(1)).default([]).describe("Check runs or commit statuses that must pass on the promoted commit"),
      http: z
        .array(
          z.strictObject({
            url: z.string().regex(/^https?:\/\/[^\s]+$/, "use an http:// or https:// URL"),
            method: z.enum(["GET", "HEAD"]).default("GET"),
            expectStatus: z.array(z.number().int().min(100).max(599)).default([]).describe("Statuses that count as up; default any 2xx"),
            bodyContains: z.string().min(1).optional().describe("Text the response body must contain, e.g. the version just promoted"),
            timeout: duration.default("10s").describe("How long one request may take"),
          }),
        )
        .default([])
        .describe("Endpoints asked until they answer as expected (refused on private addresses unless the App allows them)"),
      soak: duration.optional().describe("How long the stage must run the freight, with everything else green, before it counts as verified"),
      timeout: duration.optional().describe("Verification still waiting after this long fails; default the soak time plus 1h"),
    })
    .optional()
    .describe("How a promotion is verified; without it the merge is enough"),
});

export const VerificationSchema = z.strictObject({
  analysisTemplates: z.array(z.strictObject({ name: z.string().min(1), kind: z.enum(["AnalysisTemplate", "ClusterAnalysisTemplate"]).optional() })).optional(),
  analysisRunMetadata: z.strictObject({ labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
  args: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
});

export const StageSpecSchema = z.strictObject({
  requestedFreight: z.array(RequestedFreightSchema).min(1, "a stage needs requestedFreight (or from: in the native file)"),
  vars: z.array(PromotionVarSchema).optional(),
  promotionTemplate: PromotionTemplateSchema.optional(),
  verification: VerificationSchema.optional(),
  github: GitHubStageSchema.prefault({}),
});

export const StageSchema = z.strictObject({ name: z.string().min(1), spec: StageSpecSchema });

export type RequestedFreight = z.infer<typeof RequestedFreightSchema>;
export type GitHubStageSettings = z.infer<typeof GitHubStageSchema>;
export type Verification = z.infer<typeof VerificationSchema>;
export type Stage = z.infer<typeof StageSchema>;
