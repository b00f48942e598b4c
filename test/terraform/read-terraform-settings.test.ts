import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTerraformSettings } from "../../src/terraform/read-terraform-settings.js";

describe("readTerraformSettings", () => {
  it("has defaults that need no settings at all", () => {
    expect(readTerraformSettings({ PATH: "/usr/bin" })).toEqual({ binary: "terraform", allowedVersions: ">=1.5.0 <2.0.0", env: {}, secretEnv: {}, timeoutMs: 1_800_000 });
  });

  it("reads every setting, credentials from a mounted file, and copies only the named variables of the app", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "stagecoach-tf-settings-"));
    try {
      const file = path.join(dir, "terraform.env.yaml");
      await writeFile(file, "AWS_ACCESS_KEY_ID: AKIAEXAMPLE\nTF_VAR_db_password: 's3cret'\n");
      const settings = readTerraformSettings({
        STAGECOACH_TERRAFORM_PATH: "/opt/terraform/bin/terraform",
        STAGECOACH_TERRAFORM_VERSIONS: "~1.11",
        STAGECOACH_TERRAFORM_PLUGIN_CACHE_DIR: "/var/cache/terraform",
        STAGECOACH_TERRAFORM_PLUGIN_DIR: "/opt/terraform/plugins",
        STAGECOACH_TERRAFORM_BACKEND_CONFIG_FILE: "/etc/stagecoach/backend.hcl",
        STAGECOACH_TERRAFORM_PASS_ENV: "PATH, HTTPS_PROXY, UNSET_ONE",
        STAGECOACH_TERRAFORM_ENV_FILE: file,
        STAGECOACH_TERRAFORM_TIMEOUT_MS: "600000",
        PATH: "/usr/bin",
        HTTPS_PROXY: "http://proxy:3128",
        GITHUB_TOKEN: "never-passed",
      });
      expect(settings).toEqual({
        binary: "/opt/terraform/bin/terraform",
        allowedVersions: "~1.11",
        pluginCacheDir: "/var/cache/terraform",
        pluginDir: "/opt/terraform/plugins",
        backendConfigFile: "/etc/stagecoach/backend.hcl",
        env: { PATH: "/usr/bin", HTTPS_PROXY: "http://proxy:3128" },
        secretEnv: { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", TF_VAR_db_password: "s3cret" },
        timeoutMs: 600_000,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lists every problem at once and never echoes a credential", () => {
    let message = "";
    try {
      readTerraformSettings({
        STAGECOACH_TERRAFORM_VERSIONS: "one point five",
        STAGECOACH_TERRAFORM_TIMEOUT_MS: "soon",
        STAGECOACH_TERRAFORM_PLUGIN_DIR: "relative/plugins",
        STAGECOACH_TERRAFORM_PASS_ENV: "PATH,not-a-name",
        STAGECOACH_TERRAFORM_ENV: '{"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI", "TF_VAR_count": 3, "bad name": "x"}',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "Terraform settings are invalid:",
      '  - STAGECOACH_TERRAFORM_VERSIONS must be a semver range such as ">=1.5.0 <2.0.0", got "one point five".',
      '  - STAGECOACH_TERRAFORM_TIMEOUT_MS must be a whole number of milliseconds, at least 1000, got "soon".',
      '  - STAGECOACH_TERRAFORM_PLUGIN_DIR must be an absolute path, got "relative/plugins".',
      '  - STAGECOACH_TERRAFORM_PASS_ENV lists "not-a-name", which is not a variable name.',
      "  - STAGECOACH_TERRAFORM_ENV: TF_VAR_count must be a string (quote numbers and booleans).",
      '  - STAGECOACH_TERRAFORM_ENV has "bad name", which is not a variable name.',
    ]);
    expect(message).not.toContain("wJalrXUtnFEMI");
  });

  it("says which file cannot be read, and refuses a list where a map belongs", () => {
    expect(() => readTerraformSettings({ STAGECOACH_TERRAFORM_ENV_FILE: "/nonexistent/terraform.env" })).toThrow(
      "STAGECOACH_TERRAFORM_ENV_FILE (/nonexistent/terraform.env) cannot be read (ENOENT); mount the file there or unset the variable.",
    );
    expect(() => readTerraformSettings({ STAGECOACH_TERRAFORM_ENV: "- a\n- b\n" })).toThrow("STAGECOACH_TERRAFORM_ENV must be a map of variable names to string values.");
    expect(() => readTerraformSettings({ STAGECOACH_TERRAFORM_ENV: "a: [unclosed" })).toThrow(/STAGECOACH_TERRAFORM_ENV is not YAML or JSON/);
  });
});
