import { formatHelp } from "../format-help.js";
import type { Command } from "../types.js";
import type { CommandAction } from "./types.js";

export const helpAction: CommandAction<Extract<Command, { name: "help" }>> = async () => formatHelp();
