import { abortCommand } from "./abort.js";
import { approveCommand } from "./approve.js";
import { helpCommand } from "./help.js";
import { promoteCommand } from "./promote.js";
import { reverifyCommand } from "./reverify.js";
import { rollbackCommand } from "./rollback.js";
import { statusCommand } from "./status.js";
import type { Command, CommandName, CommandSpec } from "./types.js";

/** The command table: adding a command is adding one file and one row here. */
export const COMMANDS: { [N in CommandName]: CommandSpec<Extract<Command, { name: N }>> } = {
  promote: promoteCommand,
  approve: approveCommand,
  rollback: rollbackCommand,
  abort: abortCommand,
  reverify: reverifyCommand,
  status: statusCommand,
  help: helpCommand,
};

/** The commands that apply on a promotion pull request, as its body lists them (with the stage filled in). */
export function commandsOnPromotionPullRequest(stage: string): Array<{ usage: string; summary: string }> {
  return Object.values(COMMANDS)
    .filter((spec) => spec.onPromotionPullRequest)
    .map((spec) => ({ usage: spec.usage.replace("<stage>", stage).replace(/ \[[^\]]*\]/g, ""), summary: spec.summary }));
}

/** The row for a command, typed loosely so callers can pass any parsed command. */
export function commandSpec(name: CommandName): CommandSpec {
  return COMMANDS[name] as CommandSpec;
}
