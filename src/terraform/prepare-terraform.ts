import { access, constants, mkdir } from "node:fs/promises";
import path from "node:path";
import { findTool } from "../promotion/tools/find-tool.js";
import { checkTerraformVersion, parseTerraformVersion } from "./check-terraform-version.js";
import { captureTerraformJson } from "./run-terraform.js";
import type { TerraformSettings, TerraformWorkdir } from "./types.js";

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 30_000;

export interface PrepareOptions {
  /** The directory terraform runs in (the materialised paths of the GitOps repo). */
  dir: string;
  /** Variables for this run only, shown as they are. */
  env?: Record<string, string>;
  /** Variables for this run only whose values are redacted (TF_VAR_ values a stage adds). */
  secretEnv?: Record<string, string>;
  signal?: AbortSignal;
  maxOutputBytes?: number;
  killGraceMs?: number;
}

/**
 * Finds the binary, checks its version against the allowed range, and builds the environment
 * terraform runs with: the variables given and nothing else of the app's, plus TF_IN_AUTOMATION
 * and TF_INPUT=0 (terraform never waits for an answer) and the plugin cache when configured.
 */
export async function prepareTerraform(settings: TerraformSettings, options: PrepareOptions): Promise<TerraformWorkdir> {
  const binary = await resolveBinary(settings);
  if (settings.pluginCacheDir) await mkdir(settings.pluginCacheDir, { recursive: true });
  const secretEnv = { ...settings.secretEnv, ...options.secretEnv };
  const env: Record<string, string> = {
    ...settings.env,
    ...options.env,
    ...secretEnv,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...(settings.pluginCacheDir ? { TF_PLUGIN_CACHE_DIR: settings.pluginCacheDir } : {}),
  };
  const workdir: TerraformWorkdir = {
    binary,
    version: "",
    dir: options.dir,
    env,
    secrets: Object.values(secretEnv),
    timeoutMs: settings.timeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(settings.pluginDir ? { pluginDir: settings.pluginDir } : {}),
    ...(settings.backendConfigFile ? { backendConfigFile: settings.backendConfigFile } : {}),
  };
  const printed = await captureTerraformJson(workdir, ["version", "-json"]);
  const version = parseTerraformVersion(printed.json, binary);
  checkTerraformVersion(version, settings.allowedVersions, binary);
  return { ...workdir, version };
}

async function resolveBinary(settings: TerraformSettings): Promise<string> {
  const named = settings.binary;
  if (named.includes("/")) {
    const full = path.resolve(named);
    try {
      await access(full, constants.X_OK);
      return full;
    } catch {
      throw new Error(`terraform was not found: "${full}" does not exist or is not executable; install Terraform (${settings.allowedVersions}) there or set STAGECOACH_TERRAFORM_PATH to where it is`);
    }
  }
  const found = await findTool(named);
  if (!found) throw new Error(`terraform was not found: no "${named}" on the app's PATH; install Terraform (${settings.allowedVersions}) or set STAGECOACH_TERRAFORM_PATH to its full path`);
  return found;
}
