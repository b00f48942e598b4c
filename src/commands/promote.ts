import type { Command, CommandSpec } from "./types.js";

type Promote = Extract<Command, { name: "promote" }>;

export const promoteCommand: CommandSpec<Promote> = {
  name: "promote",
  usage: "/promote <stage> [freight]",
  summary: "promote freight (alias, ID prefix or image tag; default: the newest available) to a stage",
  permission: "promoters",
  arguments: [
    { name: "stage", kind: "stage" },
    { name: "freight", kind: "freight", optional: true },
  ],
  build: (values) => ({ name: "promote", stage: values.stage as string, freight: values.freight }),
  describe: (_command, stage) => `promote to ${stage}`,
};
