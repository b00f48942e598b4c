import { z } from "zod";
import type { TerraformOutputs } from "./types.js";

const OutputsJson = z.record(z.string(), z.object({ sensitive: z.boolean(), value: z.unknown().optional() }));

/**
 * The outputs from `terraform output -json` as plain values for later steps. Terraform prints
 * sensitive outputs' values in clear there; they are withheld, and only their names are kept.
 */
export function parseTerraformOutputs(json: unknown): TerraformOutputs {
  const parsed = OutputsJson.safeParse(json);
  if (!parsed.success) throw new Error(`terraform output -json printed something other than a map of outputs (${parsed.error.issues[0]?.message}); use a Terraform within STAGECOACH_TERRAFORM_VERSIONS`);
  const entries = Object.entries(parsed.data);
  return {
    values: Object.fromEntries(entries.filter(([, output]) => !output.sensitive).map(([name, output]) => [name, output.value ?? null])),
    sensitive: entries.filter(([, output]) => output.sensitive).map(([name]) => name),
  };
}
