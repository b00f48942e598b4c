import type { Command, CommandSpec } from "./types.js";

type Abort = Extract<Command, { name: "abort" }>;

export const abortCommand: CommandSpec<Abort> = {
  name: "abort",
  usage: "/abort [stage]",
  summary: "abort the running promotion (on a promotion pull request the stage can be left out)",
  permission: "promoters",
  arguments: [{ name: "stage", kind: "stage", optional: true }],
  build: (values) => ({ name: "abort", stage: values.stage }),
  describe: (_command, stage) => `abort the promotion to ${stage}`,
};
