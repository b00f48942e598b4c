import { abortAction } from "./abort.js";
import { approveAction } from "./approve.js";
import { helpAction } from "./help.js";
import { promoteAction } from "./promote.js";
import { reverifyAction } from "./reverify.js";
import { rollbackAction } from "./rollback.js";
import { statusAction } from "./status.js";
import type { CommandActions } from "./types.js";

/** What each command does, by name: the command table's other half (parsing and permissions are in ../command-table.ts). */
export const COMMAND_ACTIONS: CommandActions = {
  promote: promoteAction,
  approve: approveAction,
  rollback: rollbackAction,
  abort: abortAction,
  reverify: reverifyAction,
  status: statusAction,
  help: helpAction,
};

export type { CommandAction, CommandDeps, CommandRequest, CommandRun } from "./types.js";
