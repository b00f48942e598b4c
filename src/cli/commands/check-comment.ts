import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import { COMMANDS } from "../../commands/command-table.js";
import { parseComment } from "../../commands/parse-comment.js";
import type { CommandResult, Permission } from "../../commands/types.js";
import type { CliCommand } from "../command.js";

const USAGE = [
  "Usage: stagecoach check-comment [--json] (TEXT | --file PATH)",
  "",
  "Shows what Stagecoach would read from an issue or pull request comment: each slash command it",
  "would run (and who may run it), each unknown command and each usage error. Lines in quotes,",
  "code blocks and inline code are ignored, as on GitHub. Exits 1 if a command would be refused.",
  "",
  "  --file PATH   read the comment from a file (- for standard input)",
  "  --json        print the parsed results as JSON",
  "",
  "Example:",
  "  stagecoach check-comment $'Looks good.\\n/promote prod wiggly-tuatara\\n> /promote dev'",
].join("\n");

/** Who may run a command, as a sentence. */
const WHO: Record<Permission, string> = {
  promoters: "write access; the stage's promoters if it lists any",
  approvers: "write access; the stage's approvers if it lists any",
  anyone: "anyone",
};

/** How each kind of result reads on one line. */
const DESCRIBE: { [K in CommandResult["kind"]]: (result: Extract<CommandResult, { kind: K }>) => string } = {
  command: (r) => {
    const { name, ...args } = r.command;
    const shown = Object.entries(args).map(([key, value]) => `${key}=${value}`);
    return `run      /${name}${shown.length ? ` ${shown.join(" ")}` : ""} (who: ${WHO[COMMANDS[name].permission]})`;
  },
  unknown: (r) => `unknown  ${r.message}`,
  invalid: (r) => `invalid  ${r.message}`,
  "too-many": (r) => `refused  ${r.message}`,
};

export const checkCommentCommand: CliCommand = {
  summary: "show which slash commands Stagecoach would read from a comment",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { file: { type: "string" }, json: { type: "boolean" } },
    });
    if ((values.file === undefined) === (positionals.length === 0)) {
      io.err(`stagecoach check-comment: give the comment as TEXT or with --file PATH, not both\n\n${USAGE}`);
      return 2;
    }
    const body =
      values.file === undefined
        ? positionals.join(" ")
        : values.file === "-"
          ? await text(process.stdin)
          : await readFile(values.file, "utf8");
    const results = parseComment(body);
    if (values.json) io.out(JSON.stringify(results, null, 2));
    else if (results.length === 0) io.out("no commands (quoted, fenced and inline-code lines are ignored)");
    else for (const result of results) io.out((DESCRIBE[result.kind] as (r: CommandResult) => string)(result));
    return results.every((r) => r.kind === "command") ? 0 : 1;
  },
};
