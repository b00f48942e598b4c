import { parseTerraformOutputs } from "./parse-terraform-outputs.js";
import { redactValue } from "./redact-secrets.js";
import { captureTerraformJson } from "./run-terraform.js";
import type { TerraformOutputs, TerraformWorkdir } from "./types.js";

/** `terraform output -json` as plain values for later steps; sensitive outputs are withheld, secrets redacted. */
export async function readTerraformOutputs(workdir: TerraformWorkdir): Promise<TerraformOutputs> {
  const captured = await captureTerraformJson(workdir, ["output", "-no-color", "-json"]);
  const outputs = parseTerraformOutputs(captured.json);
  return { values: redactValue(outputs.values, captured.forms) as Record<string, unknown>, sensitive: outputs.sensitive };
}
