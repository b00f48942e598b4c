import { checkArguments } from "./check-arguments.js";
import type { Command, CommandSpec } from "./types.js";

type Help = Extract<Command, { name: "help" }>;

export const helpCommand: CommandSpec<Help> = {
  name: "help",
  usage: "/help",
  summary: "list these commands",
  permission: "anyone",
  parse(args) {
    const values = checkArguments([], args);
    return typeof values === "string" ? values : { name: "help" };
  },
  describe: () => "see the help",
};
