import { checkArguments } from "./check-arguments.js";
import type { Command, CommandSpec } from "./types.js";

type Abort = Extract<Command, { name: "abort" }>;

export const abortCommand: CommandSpec<Abort> = {
  name: "abort",
  usage: "/abort [stage]",
  summary: "abort the running promotion (on a promotion pull request the stage can be left out)",
  permission: "promoters",
  parse(args) {
    const values = checkArguments([{ name: "stage", kind: "stage", optional: true }], args);
    if (typeof values === "string") return values;
    return { name: "abort", stage: values.stage };
  },
  describe: (_command, stage) => `abort the promotion to ${stage}`,
};
