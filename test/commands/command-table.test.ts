import { describe, expect, it } from "vitest";
import { COMMANDS, commandsOnPromotionPullRequest } from "../../src/commands/command-table.js";

describe("the command table", () => {
  it.each(Object.entries(COMMANDS))("/%s: the usage shows the arguments it parses", (name, spec) => {
    const shown = spec.arguments.map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`));
    expect(spec.usage).toBe([`/${name}`, ...shown].join(" "));
    expect(spec.name).toBe(name);
  });

  it.each(Object.entries(COMMANDS))("/%s: optional arguments come last", (_name, spec) => {
    const firstOptional = spec.arguments.findIndex((a) => a.optional);
    if (firstOptional >= 0) expect(spec.arguments.slice(firstOptional).every((a) => a.optional)).toBe(true);
  });
});

describe("what the table says about each command, with no side lists", () => {
  it("knows which commands need no stage, and which take the stage of the pull request they are written on", () => {
    const byScope = (scope: string) => Object.values(COMMANDS).filter((spec) => spec.stage === scope).map((spec) => spec.name).sort();
    expect(byScope("none")).toEqual(["help", "status"]);
    expect(byScope("named-or-pull-request")).toEqual(["abort"]);
    // A command that names no stage argument cannot be scoped to a named stage.
    for (const spec of Object.values(COMMANDS)) {
      if (spec.stage !== "none") expect(spec.arguments.some((a) => a.kind === "stage"), spec.name).toBe(true);
    }
  });

  it("lists on a promotion pull request the commands that apply there, with its stage filled in", () => {
    expect(commandsOnPromotionPullRequest("prod").map((c) => c.usage)).toEqual(["/rollback prod", "/abort", "/reverify prod", "/status", "/help"]);
  });
});
