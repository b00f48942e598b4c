import { checkArguments } from "./check-arguments.js";
import type { Command, CommandSpec } from "./types.js";

type Reverify = Extract<Command, { name: "reverify" }>;

export const reverifyCommand: CommandSpec<Reverify> = {
  name: "reverify",
  usage: "/reverify <stage>",
  summary: "run the stage's verification again for the freight it runs now",
  permission: "promoters",
  parse(args) {
    const values = checkArguments([{ name: "stage", kind: "stage" }], args);
    if (typeof values === "string") return values;
    return { name: "reverify", stage: values.stage as string };
  },
  describe: (_command, stage) => `re-verify ${stage}`,
};
