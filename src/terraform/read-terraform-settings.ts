import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { parse } from "yaml";
import type { TerraformSettings } from "./types.js";

type Env = Record<string, string | undefined>;

export const DEFAULT_TERRAFORM_VERSIONS = ">=1.5.0 <2.0.0";
export const DEFAULT_TERRAFORM_TIMEOUT_MS = 30 * 60 * 1000;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The Terraform settings from the app's environment. Credentials and TF_VAR_ values come from
 * STAGECOACH_TERRAFORM_ENV (a YAML or JSON map) or the file STAGECOACH_TERRAFORM_ENV_FILE names (a
 * mounted secret), never from a GitOps repository. Throws with every problem listed at once;
 * problems name the variable and entry but never echo a value.
 */
export function readTerraformSettings(env: Env): TerraformSettings {
  const problems: string[] = [];
  const allowedVersions = env.STAGECOACH_TERRAFORM_VERSIONS?.trim() || DEFAULT_TERRAFORM_VERSIONS;
  if (!semver.validRange(allowedVersions)) problems.push(`STAGECOACH_TERRAFORM_VERSIONS must be a semver range such as "${DEFAULT_TERRAFORM_VERSIONS}", got "${allowedVersions}".`);
  const timeoutMs = env.STAGECOACH_TERRAFORM_TIMEOUT_MS ? Number(env.STAGECOACH_TERRAFORM_TIMEOUT_MS) : DEFAULT_TERRAFORM_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1000) problems.push(`STAGECOACH_TERRAFORM_TIMEOUT_MS must be a whole number of milliseconds, at least 1000, got "${env.STAGECOACH_TERRAFORM_TIMEOUT_MS}".`);
  const directories = {
    pluginCacheDir: absolutePath(env, "STAGECOACH_TERRAFORM_PLUGIN_CACHE_DIR", problems),
    pluginDir: absolutePath(env, "STAGECOACH_TERRAFORM_PLUGIN_DIR", problems),
    backendConfigFile: absolutePath(env, "STAGECOACH_TERRAFORM_BACKEND_CONFIG_FILE", problems),
  };
  const passed = readPassEnv(env, problems);
  const secretEnv = readSecretEnv(env, problems);
  if (problems.length > 0) throw new Error(["Terraform settings are invalid:", ...problems.map((p) => `  - ${p}`)].join("\n"));
  return {
    binary: env.STAGECOACH_TERRAFORM_PATH?.trim() || "terraform",
    allowedVersions,
    ...Object.fromEntries(Object.entries(directories).filter(([, value]) => value !== undefined)),
    env: passed,
    secretEnv,
    timeoutMs,
  };
}

function absolutePath(env: Env, name: string, problems: string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!path.isAbsolute(value)) problems.push(`${name} must be an absolute path, got "${value}".`);
  return value;
}

/** STAGECOACH_TERRAFORM_PASS_ENV: names copied from the app's own environment (PATH, HOME, HTTPS_PROXY…). */
function readPassEnv(env: Env, problems: string[]): Record<string, string> {
  const names = (env.STAGECOACH_TERRAFORM_PASS_ENV ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  const passed: Record<string, string> = {};
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) problems.push(`STAGECOACH_TERRAFORM_PASS_ENV lists "${name}", which is not a variable name.`);
    else if (env[name] !== undefined) passed[name] = env[name];
  }
  return passed;
}

function readSecretEnv(env: Env, problems: string[]): Record<string, string> {
  let text = env.STAGECOACH_TERRAFORM_ENV;
  let source = "STAGECOACH_TERRAFORM_ENV";
  if (!text && env.STAGECOACH_TERRAFORM_ENV_FILE) {
    source = `STAGECOACH_TERRAFORM_ENV_FILE (${env.STAGECOACH_TERRAFORM_ENV_FILE})`;
    try {
      text = readFileSync(env.STAGECOACH_TERRAFORM_ENV_FILE, "utf8");
    } catch (error) {
      problems.push(`${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); mount the file there or unset the variable.`);
      return {};
    }
  }
  if (!text) return {};
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 0 });
  } catch {
    problems.push(`${source} is not YAML or JSON; write a map of variable names to string values, such as {AWS_ACCESS_KEY_ID: …, TF_VAR_db_password: …}.`);
    return {};
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`${source} must be a map of variable names to string values.`);
    return {};
  }
  const secretEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!VARIABLE_NAME.test(name)) problems.push(`${source} has "${name}", which is not a variable name.`);
    else if (typeof value !== "string") problems.push(`${source}: ${name} must be a string (quote numbers and booleans).`);
    else secretEnv[name] = value;
  }
  return secretEnv;
}
