import { z } from "zod";
import type { PlanAction, PlanSummary, ResourceChange } from "./types.js";

/** The part of `terraform show -json <plan>` the summary reads (Terraform's JSON output format 1.x). */
const PlanJson = z.object({
  format_version: z.string().regex(/^1\./, "not 1.x, the JSON output format Stagecoach reads"),
  terraform_version: z.string(),
  applyable: z.boolean().optional(),
  resource_changes: z
    .array(
      z.object({
        address: z.string(),
        previous_address: z.string().optional(),
        action_reason: z.string().optional(),
        change: z.object({ actions: z.array(z.string()).min(1), importing: z.unknown().optional() }),
      }),
    )
    .default([]),
  output_changes: z.record(z.string(), z.object({ actions: z.array(z.string()).min(1) })).default({}),
});

/** Terraform's action lists, by the word the plan shows for them. */
const ACTIONS: Readonly<Record<string, PlanAction | "no-op">> = {
  create: "create",
  update: "update",
  delete: "delete",
  "delete,create": "replace",
  "create,delete": "replace",
  read: "read",
  forget: "forget",
  "no-op": "no-op",
};

const OUTPUT_ACTIONS: Readonly<Record<string, "create" | "update" | "delete" | "no-op">> = {
  create: "create",
  update: "update",
  delete: "delete",
  "no-op": "no-op",
};

/**
 * The counts and changed instances of a saved plan, from `terraform show -json`: what the check
 * run and the pull request show. Counts follow Terraform's own "Plan:" line; moved or imported
 * instances with nothing else to do are listed as "move" or "import".
 */
export function summarizePlan(json: unknown): PlanSummary {
  const parsed = PlanJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`terraform show -json printed a plan Stagecoach cannot read (${issue?.path.join(".") || "the plan"}: ${issue?.message}); use a Terraform within STAGECOACH_TERRAFORM_VERSIONS`);
  }
  const plan = parsed.data;
  const summary: PlanSummary = { terraformVersion: plan.terraform_version, add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0, resources: [], outputs: [], changed: false };
  for (const resource of plan.resource_changes) {
    const joined = resource.change.actions.join(",");
    const known = ACTIONS[joined];
    if (!known) throw new Error(`terraform show -json planned "${joined}" for ${resource.address}, an action Stagecoach does not know; use a Terraform within STAGECOACH_TERRAFORM_VERSIONS`);
    const importing = resource.change.importing !== undefined && resource.change.importing !== null;
    if (importing) summary.import++;
    count(summary, known);
    const moved = resource.previous_address !== undefined && resource.previous_address !== resource.address;
    const action = known !== "no-op" ? known : importing ? "import" : moved ? "move" : undefined;
    if (!action) continue;
    const change: ResourceChange = { address: resource.address, action };
    if (moved) change.previousAddress = resource.previous_address;
    if (resource.action_reason) change.reason = resource.action_reason;
    summary.resources.push(change);
  }
  for (const [name, output] of Object.entries(plan.output_changes)) {
    const action = OUTPUT_ACTIONS[output.actions.join(",")] ?? "update";
    if (action !== "no-op") summary.outputs.push({ name, action });
  }
  summary.changed = plan.applyable ?? (summary.resources.length > 0 || summary.outputs.length > 0);
  return summary;
}

const COUNTS: Readonly<Partial<Record<PlanAction | "no-op", (summary: PlanSummary) => void>>> = {
  create: (s) => void s.add++,
  update: (s) => void s.change++,
  delete: (s) => void s.destroy++,
  replace: (s) => {
    s.add++;
    s.destroy++;
    s.replace++;
  },
  forget: (s) => void s.forget++,
};

function count(summary: PlanSummary, action: PlanAction | "no-op"): void {
  COUNTS[action]?.(summary);
}
