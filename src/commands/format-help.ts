import { COMMANDS } from "./command-table.js";

/** The help text, built from the command table so it can never list a command that is gone. */
export function formatHelp(): string {
  const rows = Object.values(COMMANDS).map((spec) => `| \`${spec.usage}\` | ${spec.summary} |`);
  return [
    "Stagecoach commands (one per line, at the start of the line, in any issue or pull request comment):",
    "",
    "| command | what it does |",
    "|---|---|",
    ...rows,
    "",
    "Commands inside quotes (`>`) and code blocks are ignored. Promoting, rolling back, aborting and",
    "re-verifying need write access, and a place in the stage's `github.promoters` if it lists any;",
    "approving needs write access, and a place in the stage's `github.approvers` if it lists any.",
  ].join("\n");
}
