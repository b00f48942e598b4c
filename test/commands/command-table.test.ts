import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/commands/command-table.js";

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
