/** The operator's Terraform settings (read-terraform-settings.ts); never from a GitOps repository. */
export interface TerraformSettings {
  /** A path, or a name looked up on the app's PATH (STAGECOACH_TERRAFORM_PATH). */
  binary: string;
  /** A semver range the binary's version must satisfy (STAGECOACH_TERRAFORM_VERSIONS). */
  allowedVersions: string;
  /** Shared provider cache, passed as TF_PLUGIN_CACHE_DIR (STAGECOACH_TERRAFORM_PLUGIN_CACHE_DIR). */
  pluginCacheDir?: string;
  /** Providers installed by the operator; init then downloads nothing (STAGECOACH_TERRAFORM_PLUGIN_DIR). */
  pluginDir?: string;
  /** A backend configuration file for init's -backend-config (STAGECOACH_TERRAFORM_BACKEND_CONFIG_FILE). */
  backendConfigFile?: string;
  /** Variables copied from the app's own environment, shown as they are (STAGECOACH_TERRAFORM_PASS_ENV). */
  env: Record<string, string>;
  /** Credentials and TF_VAR_ values (STAGECOACH_TERRAFORM_ENV[_FILE]); their values are redacted everywhere. */
  secretEnv: Record<string, string>;
  /** Longest one terraform command may run (STAGECOACH_TERRAFORM_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Everything a terraform command needs for one working directory, made by prepareTerraform. */
export interface TerraformWorkdir {
  /** The absolute path of the binary. */
  binary: string;
  version: string;
  dir: string;
  /** The whole environment terraform gets; nothing from the app's own environment leaks in. */
  env: Record<string, string>;
  /** Values removed from every text and value the library returns. */
  secrets: string[];
  timeoutMs: number;
  /** Most bytes kept from each of stdout and stderr (JSON beyond this is refused, logs are cut). */
  maxOutputBytes: number;
  /** How long terraform gets to stop after an interrupt before it is killed. */
  killGraceMs: number;
  signal?: AbortSignal;
  pluginDir?: string;
  backendConfigFile?: string;
}

/** One resource instance's planned change, by the word Terraform's plan uses for it. */
export type PlanAction = "create" | "update" | "delete" | "replace" | "read" | "forget" | "move" | "import";

export interface ResourceChange {
  address: string;
  action: PlanAction;
  /** The address before a `moved` block, when the instance moved. */
  previousAddress?: string;
  /** Terraform's reason, e.g. replace_because_cannot_update or delete_because_no_resource_config. */
  reason?: string;
}

export interface PlanSummary {
  terraformVersion: string;
  /** The counts of Terraform's "Plan:" line: a replacement counts once in add and once in destroy. */
  add: number;
  change: number;
  destroy: number;
  /** How many of add/destroy are replacements. */
  replace: number;
  import: number;
  forget: number;
  /** Every instance with something to do, in Terraform's order; no-ops are left out. */
  resources: ResourceChange[];
  /** Outputs whose value changes (names only: values may be sensitive). */
  outputs: { name: string; action: "create" | "update" | "delete" }[];
  /** Whether applying the plan would change anything. */
  changed: boolean;
}

export interface ApplySummary {
  added: number;
  changed: number;
  destroyed: number;
  imported: number;
}

export interface TerraformOutputs {
  /** Non-sensitive outputs as plain JSON values. */
  values: Record<string, unknown>;
  /** Names of outputs marked sensitive; their values are withheld. */
  sensitive: string[];
}
