import { formatHelp } from "./format-help.js";
import type { Command, CommandSpec } from "./types.js";

type Help = Extract<Command, { name: "help" }>;

export const helpCommand: CommandSpec<Help> = {
  name: "help",
  usage: "/help",
  summary: "list these commands",
  permission: "anyone",
  arguments: [],
  stage: "none",
  onPromotionPullRequest: true,
  build: () => ({ name: "help" }),
  describe: () => "see the help",
  run: async () => ({ answer: formatHelp() }),
};
