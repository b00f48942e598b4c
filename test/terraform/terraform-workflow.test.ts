import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateHclText } from "../../src/promotion/edits/update-hcl-text.js";
import { applyTerraformPlan } from "../../src/terraform/apply-terraform-plan.js";
import { initTerraform } from "../../src/terraform/init-terraform.js";
import { planTerraform } from "../../src/terraform/plan-terraform.js";
import { prepareTerraform } from "../../src/terraform/prepare-terraform.js";
import { readTerraformOutputs } from "../../src/terraform/read-terraform-outputs.js";
import { runTerraform, TerraformCommandError } from "../../src/terraform/run-terraform.js";
import type { TerraformSettings, TerraformWorkdir } from "../../src/terraform/types.js";
import { tempConfig, TERRAFORM } from "./support/terraform-cli.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/terraform/${name}`, import.meta.url), "utf8");
const SECRET = "s3cr3t-Token-42";

let work: { dir: string; dispose: () => Promise<void> };
let settings: TerraformSettings;

async function useConfig(mainTf: string, extra: Record<string, string> = {}): Promise<void> {
  work = await tempConfig({ "main.tf": mainTf, "plugins/.keep": "", ...extra });
  settings = {
    binary: TERRAFORM,
    allowedVersions: ">=1.5.0 <2.0.0",
    pluginDir: path.join(work.dir, "plugins"),
    env: {},
    secretEnv: { TF_VAR_api_token: SECRET },
    timeoutMs: 120_000,
  };
}

async function ready(): Promise<TerraformWorkdir> {
  const tf = await prepareTerraform(settings, { dir: work.dir });
  await initTerraform(tf);
  return tf;
}

const failure = (promise: Promise<unknown>) => promise.then(() => new Error("no error"), (error: unknown) => error as Error);

afterEach(() => work.dispose());

describe("a promotion's Terraform run, with the real terraform and nothing downloaded", () => {
  beforeEach(() => useConfig(fixture("workflow/main.tf"), { "prod.tfvars": fixture("workflow/prod.tfvars") }));

  it("inits, plans, applies the saved plan and reads the outputs; the secret never comes back", async () => {
    const tf = await prepareTerraform(settings, { dir: work.dir });
    expect(tf.version).toMatch(/^1\.\d+\.\d+/);
    const init = await initTerraform(tf);
    expect(init.log).toContain("Terraform has been successfully initialized!");

    const plan = await planTerraform(tf, { varFiles: ["prod.tfvars"] });
    expect(plan.planFile).toBe(path.join(work.dir, "stagecoach.tfplan"));
    expect(plan.summary).toMatchObject({
      add: 2,
      change: 0,
      destroy: 0,
      resources: [
        { address: "terraform_data.function", action: "create" },
        { address: "terraform_data.token_user", action: "create" },
      ],
      outputs: [
        { name: "function_url", action: "create" },
        { name: "token", action: "create" },
        { name: "token_echo", action: "create" },
      ],
      changed: true,
    });
    expect(plan.rendered).toContain('+ input  = "***"');
    expect(plan.rendered).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    expect(plan.log).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");

    const applied = await applyTerraformPlan(tf, plan.planFile);
    expect(applied.summary).toEqual({ added: 2, changed: 0, destroyed: 0, imported: 0 });
    expect(applied.log).toContain("terraform_data.function: Creation complete");
    expect(applied.log).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");

    const outputs = await readTerraformOutputs(tf);
    expect(outputs).toEqual({ values: { function_url: "https://checkout.example.invalid/checkout:1.3.0", token_echo: "token=***" }, sensitive: ["token"] });

    const tfvars = path.join(work.dir, "prod.tfvars");
    await writeFile(tfvars, await updateHclText(await readFile(tfvars, "utf8"), [{ key: "image_tag", value: "1.4.0" }], "prod.tfvars"));
    const promoted = await planTerraform(tf, { varFiles: ["prod.tfvars"] });
    expect(promoted.summary).toMatchObject({ add: 0, change: 1, destroy: 0, resources: [{ address: "terraform_data.function", action: "update" }] });
    expect(promoted.rendered).toContain('~ input  = "checkout:1.3.0" -> "checkout:1.4.0"');
    await applyTerraformPlan(tf, promoted.planFile);
    expect((await readTerraformOutputs(tf)).values.function_url).toBe("https://checkout.example.invalid/checkout:1.4.0");

    const settled = await planTerraform(tf, { varFiles: ["prod.tfvars"] });
    expect(settled.summary).toMatchObject({ add: 0, change: 0, destroy: 0, resources: [], changed: false });
    expect(settled.rendered).toContain("No changes.");

    expect(JSON.stringify([init, plan, applied, outputs, promoted, settled])).not.toContain(SECRET);
    // Terraform did get the secret: it is in the state, which stays with the operator.
    expect(await readFile(path.join(work.dir, "terraform.tfstate"), "utf8")).toContain(SECRET);
  });

  it("refuses to apply a plan made stale by a later apply", async () => {
    const tf = await ready();
    const first = await planTerraform(tf, { varFiles: ["prod.tfvars"], planFile: "first.tfplan" });
    const second = await planTerraform(tf, { varFiles: ["prod.tfvars"], planFile: "second.tfplan" });
    await applyTerraformPlan(tf, second.planFile);
    const error = await failure(applyTerraformPlan(tf, first.planFile));
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.message).toBe("terraform apply of first.tfplan failed (exit 1): Saved plan is stale");
  });

  it("gives a failed command's reason, redacted", async () => {
    const tf = await ready();
    const error = await failure(planTerraform(tf, { varFiles: ["missing.tfvars"] }));
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.message).toMatch(/^terraform plan -input=false -no-color -out=\S+stagecoach.tfplan -var-file=missing.tfvars failed \(exit 1\) in \S+:\nError: Failed to read variables file/);
    const leaky = await failure(runTerraform(tf, ["plan", "-input=false", "-no-color", `-var=image_tag=${SECRET}`, "-var=oops"]));
    expect(leaky.message).toContain("-var=image_tag=***");
    expect(`${leaky.message} ${(leaky as TerraformCommandError).log}`).not.toContain(SECRET);
  });

  it("cuts output past the budget with a marker, leaving no part of a secret at the cuts, and refuses JSON it cannot read whole", async () => {
    const tf = await ready();
    const plan = await planTerraform(tf, { varFiles: ["prod.tfvars"] });
    const small = { ...tf, maxOutputBytes: 200 };
    const cut = await failure(planTerraform(small, { varFiles: ["prod.tfvars"] }));
    expect(cut.message).toMatch(/^terraform show -json \S+ printed more than 200 bytes, more than Stagecoach reads$/);
    const big = await useBigOutput();
    const shown = await runTerraform({ ...big, maxOutputBytes: 1_000 }, ["show", "-no-color", path.join(big.dir, "big.tfplan")]);
    expect(shown.stdout).toMatch(/\n\[… \d+ bytes of output not kept …\]\n/);
    expect(shown.stdout.length).toBeLessThan(1_000 + 64 * 1024 + 100);
    expect(shown.stdout.match(/.{0,40}(s3cr|3cr3t|Token-4|n-42).{0,40}/g)).toBeNull();
    expect(plan.summary.add).toBe(2);
  });

  it("gives terraform only the variables it was handed", async () => {
    const probe = 'resource "terraform_data" "probe" {\n  provisioner "local-exec" {\n    command = "/usr/bin/env > env.txt"\n  }\n}\n';
    await work.dispose();
    await useConfig(probe);
    process.env.STAGECOACH_TEST_LEAK = "from the app";
    try {
      const tf = await prepareTerraform({ ...settings, env: { LANG: "C.UTF-8" } }, { dir: work.dir, secretEnv: { TF_VAR_extra: "x" } });
      await initTerraform(tf);
      await applyTerraformPlan(tf, (await planTerraform(tf)).planFile);
    } finally {
      delete process.env.STAGECOACH_TEST_LEAK;
    }
    const names = (await readFile(path.join(work.dir, "env.txt"), "utf8")).trim().split("\n").map((line) => line.split("=")[0]);
    expect(names.filter((name) => name !== "PWD").sort()).toEqual(["LANG", "TF_INPUT", "TF_IN_AUTOMATION", "TF_VAR_api_token", "TF_VAR_extra"]);
  });

  async function useBigOutput(): Promise<TerraformWorkdir> {
    const lines = 'resource "terraform_data" "big" {\n  input = join("\\n", [for i in range(1000) : "line ${i} ${var.api_token} ${join(" ", formatlist("padding-%03d", range(10)))}"])\n}\nvariable "api_token" {\n  type = string\n}\n';
    await work.dispose();
    await useConfig(lines);
    const tf = await ready();
    await planTerraform(tf, { planFile: "big.tfplan" });
    return tf;
  }
});

describe("stopping terraform", () => {
  const slow = 'resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "/usr/bin/sleep 20"\n  }\n}\n';
  beforeEach(() => useConfig(slow));

  it("interrupts a command that runs past the timeout", { timeout: 60_000 }, async () => {
    const tf = await ready();
    const plan = await planTerraform(tf);
    const error = await failure(applyTerraformPlan({ ...tf, timeoutMs: 1_500, killGraceMs: 10_000 }, plan.planFile));
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.message).toMatch(/^terraform apply -input=false -no-color -json \S+ ran longer than 1500 ms \(STAGECOACH_TERRAFORM_TIMEOUT_MS\), so it was interrupted/);
  });

  it("stops when the signal is aborted, and does not start once it is", { timeout: 60_000 }, async () => {
    const tf = await ready();
    const plan = await planTerraform(tf);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_000);
    const error = await failure(applyTerraformPlan({ ...tf, signal: controller.signal, killGraceMs: 10_000 }, plan.planFile));
    expect(error.message).toMatch(/ was cancelled, so it was interrupted/);
    const late = await failure(runTerraform({ ...tf, signal: controller.signal }, ["version"]));
    expect(late.message).toBe("terraform version was cancelled before it started");
  });
});

describe("finding terraform", () => {
  beforeEach(() => useConfig('output "x" {\n  value = 1\n}\n'));

  it("names the setting when the binary is missing", async () => {
    await expect(prepareTerraform({ ...settings, binary: "/nonexistent/bin/terraform" }, { dir: work.dir })).rejects.toThrow(
      'terraform was not found: "/nonexistent/bin/terraform" does not exist or is not executable; install Terraform (>=1.5.0 <2.0.0) there or set STAGECOACH_TERRAFORM_PATH to where it is',
    );
    await expect(prepareTerraform({ ...settings, binary: "terraform-not-installed-here" }, { dir: work.dir })).rejects.toThrow(
      'terraform was not found: no "terraform-not-installed-here" on the app\'s PATH; install Terraform (>=1.5.0 <2.0.0) or set STAGECOACH_TERRAFORM_PATH to its full path',
    );
  });

  it("refuses a version outside the allowed range", async () => {
    await expect(prepareTerraform({ ...settings, allowedVersions: "<1.0.0" }, { dir: work.dir })).rejects.toThrow(
      /^\/\S+terraform is Terraform 1\.\d+\.\d+, outside STAGECOACH_TERRAFORM_VERSIONS \("<1.0.0"\); install a Terraform in that range or change the setting$/,
    );
  });

  it("uses the plugin cache directory it is given", async () => {
    const cache = path.join(work.dir, "cache");
    const tf = await prepareTerraform({ ...settings, pluginCacheDir: cache }, { dir: work.dir });
    expect(tf.env.TF_PLUGIN_CACHE_DIR).toBe(cache);
    await initTerraform(tf);
    expect((await readTerraformOutputs(tf)).values).toEqual({});
  });
});
