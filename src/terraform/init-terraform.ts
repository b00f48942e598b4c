import { runTerraform } from "./run-terraform.js";
import type { TerraformWorkdir } from "./types.js";

export interface InitOptions {
  /** More -backend-config values: files, or key=value pairs (whose values are redacted). */
  backendConfig?: string[];
  /** false skips the backend (-backend=false), e.g. to validate without reaching the state. */
  backend?: boolean;
}

/**
 * `terraform init -input=false` in the workdir, with the operator's backend configuration file
 * and plugin directory (then nothing is downloaded). Returns the redacted log.
 */
export async function initTerraform(workdir: TerraformWorkdir, options: InitOptions = {}): Promise<{ log: string }> {
  const backendConfig = [...(workdir.backendConfigFile ? [workdir.backendConfigFile] : []), ...(options.backendConfig ?? [])];
  const args = [
    "init",
    "-input=false",
    "-no-color",
    ...(options.backend === false ? ["-backend=false"] : backendConfig.map((config) => `-backend-config=${config}`)),
    ...(workdir.pluginDir ? [`-plugin-dir=${workdir.pluginDir}`] : []),
  ];
  const pairs = backendConfig.filter((config) => config.includes("=")).map((config) => config.slice(config.indexOf("=") + 1));
  const result = await runTerraform(workdir, args, { secrets: pairs });
  return { log: result.stdout };
}
