import type { CliCommand } from "../command.js";
import { checkCommentCommand } from "./check-comment.js";
import { discoverCommand } from "./discover.js";
import { initCommand } from "./init.js";
import { promoteCommand } from "./promote.js";
import { previewPrCommand } from "./preview-pr.js";
import { serveCommand } from "./serve.js";
import { statusCommand } from "./status.js";
import { validateCommand } from "./validate.js";

/** The command table: adding a command is adding one file and one row here. */
export const COMMANDS: Record<string, CliCommand> = {
  serve: serveCommand,
  promote: promoteCommand,
  validate: validateCommand,
  init: initCommand,
  discover: discoverCommand,
  status: statusCommand,
  "check-comment": checkCommentCommand,
  "preview-pr": previewPrCommand,
};
