/** A slash command after its arguments were checked. Freight stays as typed: resolve it with resolveFreight. */
export type Command =
  | { name: "promote"; stage: string; freight?: string }
  | { name: "approve"; freight: string; stage: string }
  | { name: "rollback"; stage: string; freight?: string }
  | { name: "abort"; stage?: string }
  | { name: "reverify"; stage: string }
  | { name: "status" }
  | { name: "help" };

export type CommandName = Command["name"];

/** Who may run a command: a stage's promoters, its approvers, or anyone who can comment. */
export type Permission = "promoters" | "approvers" | "anyone";

/** One positional argument of a command. */
export interface ArgumentSpec {
  name: string;
  kind: "stage" | "freight";
  optional?: boolean;
}

/** One row of the command table; each lives in its own file. */
export interface CommandSpec<C extends Command = Command> {
  name: C["name"];
  /** The right form, shown in usage errors and the help text. */
  usage: string;
  summary: string;
  permission: Permission;
  arguments: ArgumentSpec[];
  /** The command from its arguments, checked and keyed by name. */
  build(values: Record<string, string>): C;
  /** What the actor tried, for refusals: "promote to prod". */
  describe(command: C, stage: string): string;
}

/** What one command line in a comment turned out to be. */
export type CommandResult =
  | { kind: "command"; line: string; command: Command }
  | { kind: "unknown"; line: string; name: string; message: string; help: string }
  | { kind: "invalid"; line: string; name: string; message: string; usage: string }
  | { kind: "too-many"; line: string; message: string };
