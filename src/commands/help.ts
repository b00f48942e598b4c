import type { Command, CommandSpec } from "./types.js";

type Help = Extract<Command, { name: "help" }>;

export const helpCommand: CommandSpec<Help> = {
  name: "help",
  usage: "/help",
  summary: "list these commands",
  permission: "anyone",
  arguments: [],
  build: () => ({ name: "help" }),
  describe: () => "see the help",
};
