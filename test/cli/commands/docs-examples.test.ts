import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Lexer, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

/** The docs whose `sh` examples run here; each example's output is the plain block after it. */
const DOCS = ["docs/commands.md", "docs/pull-requests.md"];

interface Example {
  doc: string;
  script: string;
  output?: string;
}

async function examples(doc: string): Promise<Example[]> {
  const blocks = new Lexer().lex(await readFile(doc, "utf8")).filter((t): t is Tokens.Code => t.type === "code");
  return blocks.flatMap((block, i) => {
    if (block.lang !== "sh" || !block.text.includes("npx stagecoach")) return [];
    const next = blocks[i + 1];
    return [{ doc, script: block.text, output: next && !next.lang ? next.text : undefined }];
  });
}

/** Splits a shell line into words: bare words, '…' and $'…' (with \n, \\ and \' escapes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /\$'((?:[^'\\]|\\.)*)'|'([^']*)'|(\S+)/g;
  for (const [, ansi, quoted, bare] of line.matchAll(pattern)) {
    if (ansi !== undefined) words.push(ansi.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c)));
    else words.push(quoted ?? bare ?? "");
  }
  return words;
}

/** Runs `printf 'x' > file` and `npx stagecoach …` lines in a temp directory; returns what stagecoach printed. */
async function run(script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "docs-example-"));
  const files = new Map<string, string>();
  const printed: string[] = [];
  for (const line of script.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim())) {
    for (const part of line.split(" && ")) {
      const [command, ...args] = shellWords(part);
      if (command === "printf" && args[1] === ">" && args[0] !== undefined && args[2] !== undefined) {
        const path = join(dir, args[2]);
        await writeFile(path, args[0]);
        files.set(args[2], path);
      } else if (command === "npx" && args[0] === "stagecoach") {
        const io = { out: (l: string) => printed.push(l), err: (l: string) => printed.push(l) };
        await main(args.slice(1).map((a) => files.get(a) ?? a), io);
      } else {
        throw new Error(`the docs example runner does not know this line: ${part}`);
      }
    }
  }
  return printed.join("\n").replaceAll(`${dir}/`, "");
}

describe.each(DOCS)("the stagecoach examples in %s", async (doc) => {
  const found = await examples(doc);

  it("has examples", () => {
    expect(found.length).toBeGreaterThan(0);
  });

  it.each(found.map((e) => [e.script, e] as const))("%s", async (_script, example) => {
    const printed = await run(example.script);
    if (example.output === undefined) return expect(printed).not.toBe("");
    // An output block may end with "…": the example shows only its start.
    const [shown = "", elided] = example.output.split("\n…");
    if (elided === undefined) expect(printed.trimEnd()).toBe(shown.trimEnd());
    else expect(printed.startsWith(shown)).toBe(true);
  });
});
