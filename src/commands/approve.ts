import type { Command, CommandSpec } from "./types.js";

type Approve = Extract<Command, { name: "approve" }>;

export const approveCommand: CommandSpec<Approve> = {
  name: "approve",
  usage: "/approve <freight> <stage>",
  summary: "approve freight for a stage by hand, so it is available there without upstream verification or soak",
  permission: "approvers",
  arguments: [
    { name: "freight", kind: "freight" },
    { name: "stage", kind: "stage" },
  ],
  build: (values) => ({ name: "approve", freight: values.freight as string, stage: values.stage as string }),
  describe: (_command, stage) => `approve freight for ${stage}`,
};
