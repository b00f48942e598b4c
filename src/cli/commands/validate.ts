import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createLocalConfigSource, describeProject, formatDiagnostic, loadProject, validateProject, type ConfigFile, type ValidateOptions, type ValidationResult } from "../../config/index.js";
import type { CliCommand } from "../command.js";
import type { CliIo } from "../main.js";

const USAGE = [
  "Usage: stagecoach validate [--repo-url URL] [--default-branch NAME] [--project NAME] PATH...",
  "",
  "Checks pipeline config. Each PATH is a project: a repository checkout (reads .github/stagecoach.yml",
  "or the Kargo manifests in .github/stagecoach/), a directory of manifests, or one file.",
  "Prints one summary line per valid project and `warning:` lines; exits 1 with",
  "`path:line:col: message` lines when a project is invalid.",
  "",
  "  --repo-url URL         the GitOps repository the native short forms edit (if the file has no repoURL:)",
  "  --default-branch NAME  branch the short forms target when a stage names none (default: main)",
  "  --project NAME         project name when the files give none (default: the directory's name)",
].join("\n");

const KARGO = /^apiVersion:\s*["']?kargo\.akuity\.io\//m;
const YAML_FILE = /\.ya?ml$/;

export const validateCommand: CliCommand = {
  summary: "check .github/stagecoach.yml or Kargo manifests; errors as path:line:col",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { "repo-url": { type: "string" }, "default-branch": { type: "string" }, project: { type: "string" } },
    });
    if (positionals.length === 0) {
      io.err(`stagecoach validate: give at least one PATH (a repository checkout, a directory of manifests or a file)\n\n${USAGE}`);
      return 2;
    }
    let failed = false;
    for (const path of positionals) {
      const options = { projectName: values.project ?? projectNameFor(path), repoURL: values["repo-url"], defaultBranch: values["default-branch"] };
      const result = await validatePath(path, options, io);
      if (!result) {
        failed = true;
        continue;
      }
      for (const d of result.diagnostics) (d.severity === "error" ? io.err : io.out)(formatDiagnostic(d));
      if (result.valid && result.project) io.out(describeProject(result.project));
      else failed = true;
    }
    return failed ? 1 : 0;
  },
};

async function validatePath(path: string, options: ValidateOptions, io: CliIo): Promise<ValidationResult | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    io.err(`${path}: no such file or directory`);
    return undefined;
  }
  if (info.isFile()) return validateProject(classify([{ path, text: await readFile(path, "utf8") }]), options);
  const loaded = await loadProject(createLocalConfigSource(path), options);
  if (loaded.form !== "none") return loaded;
  const names = (await readdir(path)).filter((n) => YAML_FILE.test(n)).sort();
  const files = await Promise.all(names.map(async (n) => ({ path: join(path, n), text: await readFile(join(path, n), "utf8") })));
  if (files.length === 0) {
    io.err(`${path}: no pipeline config here: add .github/stagecoach.yml, or Kargo manifests under .github/stagecoach/`);
    return undefined;
  }
  return validateProject(classify(files), options);
}

function classify(files: ConfigFile[]): { native: ConfigFile[]; kargo: ConfigFile[] } {
  return { native: files.filter((f) => !KARGO.test(f.text)), kargo: files.filter((f) => KARGO.test(f.text)) };
}

// A checkout's directory name is the repository's name; for a file, the name of the checkout it sits in.
function projectNameFor(path: string): string {
  const absolute = resolve(path);
  const root = absolute.includes("/.github") ? absolute.slice(0, absolute.indexOf("/.github")) : absolute;
  return (basename(YAML_FILE.test(root) ? dirname(root) : root) || "project").toLowerCase().replace(/[^a-z0-9-]/g, "-");
}
