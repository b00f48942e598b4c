import semver from "semver";

/** The version in what `terraform version -json` printed. */
export function parseTerraformVersion(json: unknown, binary: string): string {
  const version = typeof json === "object" && json !== null ? (json as { terraform_version?: unknown }).terraform_version : undefined;
  if (typeof version !== "string" || !semver.valid(version)) {
    throw new Error(`${binary} version -json printed no Terraform version; point STAGECOACH_TERRAFORM_PATH at a Terraform binary`);
  }
  return version;
}

/** Refuses a Terraform outside the operator's range. */
export function checkTerraformVersion(version: string, allowed: string, binary: string): void {
  if (!semver.satisfies(version, allowed)) {
    throw new Error(`${binary} is Terraform ${version}, outside STAGECOACH_TERRAFORM_VERSIONS ("${allowed}"); install a Terraform in that range or change the setting`);
  }
}
