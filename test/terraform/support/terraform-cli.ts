import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** The real terraform the tests run: STAGECOACH_TERRAFORM_PATH, else the one on PATH. */
export const TERRAFORM = process.env.STAGECOACH_TERRAFORM_PATH ?? "terraform";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs terraform directly (not through src/terraform), so tests of the editor check it against Terraform itself. */
export function terraformCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(TERRAFORM, [...args], { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TF_IN_AUTOMATION: "1" } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(new Error(`cannot run ${TERRAFORM} (${error.message}); install Terraform 1.x or set STAGECOACH_TERRAFORM_PATH`));
      resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

/** A temporary directory holding `files`, removed by the returned dispose. */
export async function tempConfig(files: Record<string, string>): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "stagecoach-tf-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * What Terraform reads from a variables file: applies a configuration that declares `names` as
 * untyped variables and echoes them in one output, with an empty plugin directory (nothing is downloaded).
 */
export async function readVariablesWithTerraform(tfvars: string, names: string[], fileName = "test.tfvars"): Promise<Record<string, unknown>> {
  const config = [
    ...names.map((name) => `variable "${name}" {}`),
    `output "all" {\n  value = {\n${names.map((name) => `    ${name} = var.${name}`).join("\n")}\n  }\n}`,
  ].join("\n");
  const work = await tempConfig({ "main.tf": `${config}\n`, [fileName]: tfvars, "plugins/.keep": "" });
  try {
    for (const args of [
      ["init", "-input=false", "-no-color", `-plugin-dir=${path.join(work.dir, "plugins")}`],
      ["apply", "-input=false", "-no-color", "-auto-approve", `-var-file=${fileName}`],
    ]) {
      const result = await terraformCli(args, work.dir);
      if (result.code !== 0) throw new Error(`terraform ${args[0]} failed: ${result.stderr || result.stdout}`);
    }
    const output = await terraformCli(["output", "-json", "all"], work.dir);
    return JSON.parse(output.stdout) as Record<string, unknown>;
  } finally {
    await work.dispose();
  }
}
