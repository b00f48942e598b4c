import type { CliIo } from "./main.js";

/** One `stagecoach <name>` sub-command. Each lives in its own file under commands/. */
export interface CliCommand {
  /** One line shown in `stagecoach --help`. */
  summary: string;
  /** Full usage text shown by `stagecoach <name> --help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
