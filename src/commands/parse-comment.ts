import { checkArguments } from "./check-arguments.js";
import { COMMANDS, commandSpec } from "./command-table.js";
import { findCommandLines } from "./find-command-lines.js";
import { formatHelp } from "./format-help.js";
import { showWord } from "./show-word.js";
import type { CommandName, CommandResult } from "./types.js";

/** A comment may carry several commands; past this many, the rest are refused rather than run. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** `/word` then a space or the end: `/usr/bin` or `/path/to` are prose, not commands. */
const COMMAND_LINE = /^\/([A-Za-z][\w-]*)(?=\s|$)(.*)$/;

/** Reads every slash command out of a comment body: each is run, refused as unknown, or refused with its usage. */
export function parseComment(body: string): CommandResult[] {
  const lines = findCommandLines(body);
  const results: CommandResult[] = [];
  for (const line of lines) {
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    if (results.length === MAX_COMMANDS_PER_COMMENT) {
      results.push({
        kind: "too-many",
        line,
        message: `Only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment are run; post the rest in another comment.`,
      });
      break;
    }
    results.push(parseLine(line, (match[1] as string).toLowerCase(), (match[2] as string).trim()));
  }
  return results;
}

function parseLine(line: string, name: string, rest: string): CommandResult {
  if (!Object.hasOwn(COMMANDS, name)) {
    return {
      kind: "unknown",
      line,
      name,
      message: `${showWord(`/${name}`)} is not a Stagecoach command.`,
      help: formatHelp(),
    };
  }
  const spec = commandSpec(name as CommandName);
  const values = checkArguments(spec.arguments, rest === "" ? [] : rest.split(/\s+/));
  if (typeof values === "string") {
    return {
      kind: "invalid",
      line,
      name,
      message: `\`/${name}\`: ${values}. Write it as \`${spec.usage}\`.`,
      usage: spec.usage,
    };
  }
  return { kind: "command", line, command: spec.build(values) };
}
