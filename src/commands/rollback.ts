import type { Command, CommandSpec } from "./types.js";

type Rollback = Extract<Command, { name: "rollback" }>;

export const rollbackCommand: CommandSpec<Rollback> = {
  name: "rollback",
  usage: "/rollback <stage> [freight]",
  summary: "promote the previous verified freight (or the one named) to a stage and hold auto-promotion there",
  permission: "promoters",
  arguments: [
    { name: "stage", kind: "stage" },
    { name: "freight", kind: "freight", optional: true },
  ],
  build: (values) => ({ name: "rollback", stage: values.stage as string, freight: values.freight }),
  describe: (_command, stage) => `roll back ${stage}`,
};
