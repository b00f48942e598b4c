import type { Command, CommandSpec } from "./types.js";

type Reverify = Extract<Command, { name: "reverify" }>;

export const reverifyCommand: CommandSpec<Reverify> = {
  name: "reverify",
  usage: "/reverify <stage>",
  summary: "run the stage's verification again for the freight it runs now",
  permission: "promoters",
  arguments: [{ name: "stage", kind: "stage" }],
  build: (values) => ({ name: "reverify", stage: values.stage as string }),
  describe: (_command, stage) => `re-verify ${stage}`,
};
