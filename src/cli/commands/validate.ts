import { parseArgs } from "node:util";
import { describeProject, formatDiagnostic } from "../../config/index.js";
import type { CliCommand } from "../command.js";
import { projectNameFor, validatePath } from "../read-project-at-path.js";

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
