import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Lexer, type Token, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { main } from "../../src/cli/main.js";

const README = resolve(import.meta.dirname, "../../README.md");

/** The tokens of README's "## The CLI" section, up to the next level-2 heading. */
async function cliSection(): Promise<Token[]> {
  const tokens = new Lexer().lex(await readFile(README, "utf8"));
  const start = tokens.findIndex((t) => t.type === "heading" && (t as Tokens.Heading).depth === 2 && (t as Tokens.Heading).text === "The CLI");
  expect(start, 'README.md has a "## The CLI" section').toBeGreaterThanOrEqual(0);
  const end = tokens.findIndex((t, i) => i > start && t.type === "heading" && (t as Tokens.Heading).depth === 2);
  return tokens.slice(start + 1, end === -1 ? undefined : end);
}

async function helpCommands(): Promise<string[]> {
  const out: string[] = [];
  expect(await main(["--help"], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
  return [...out.join("\n").matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]!);
}

describe("README's CLI section", () => {
  it("lists exactly the commands `stagecoach --help` shows, each once", async () => {
    const table = (await cliSection()).find((t): t is Tokens.Table => t.type === "table");
    expect(table, "a table of commands in the CLI section").toBeDefined();
    const listed = table!.rows.map((row) => /^`stagecoach ([a-z-]+)/.exec(row[0]!.text)?.[1] ?? `(not a command: ${row[0]!.text})`);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(await helpCommands());
    expect([...listed].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it("has examples that run", async () => {
    const blocks = (await cliSection()).filter((t): t is Tokens.Code => t.type === "code" && t.lang === "sh");
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const [npx, name, ...args] = block.text.trim().split(/\s+/);
      expect([npx, name]).toEqual(["npx", "stagecoach"]);
      const out: string[] = [];
      const code = await main(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(code, `${block.text}\n${out.join("\n")}`).toBe(0);
    }
  });
});
