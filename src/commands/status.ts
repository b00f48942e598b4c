import type { Command, CommandSpec } from "./types.js";

type Status = Extract<Command, { name: "status" }>;

export const statusCommand: CommandSpec<Status> = {
  name: "status",
  usage: "/status",
  summary: "show each stage's current freight, available freight and open promotions",
  permission: "anyone",
  arguments: [],
  build: () => ({ name: "status" }),
  describe: () => "see the status",
};
