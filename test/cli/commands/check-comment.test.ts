import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("stagecoach check-comment", () => {
  it("lists the commands it would run and who may run them", async () => {
    const result = await run(["check-comment", "Looks good.\n/promote prod wiggly-tuatara\n\n> /promote dev\n\n/status"]);
    expect(result).toEqual({
      code: 0,
      out:
        "run      /promote stage=prod freight=wiggly-tuatara (who: write access; the stage's promoters if it lists any)\n" +
        "run      /status (who: anyone)",
      err: "",
    });
  });

  it("exits 1 and says why when a command would be refused", async () => {
    const result = await run(["check-comment", "/deploy prod\n/approve prod"]);
    expect(result.code).toBe(1);
    expect(result.out).toBe(
      "unknown  `/deploy` is not a Stagecoach command.\n" +
        "invalid  `/approve`: missing <stage>. Write it as `/approve <freight> <stage>`.",
    );
  });

  it("reads a file and prints JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "check-comment-"));
    const file = join(dir, "comment.md");
    await writeFile(file, "```\n/promote prod\n```\n/rollback prod\n");
    const result = await run(["check-comment", "--json", "--file", file]);
    expect(JSON.parse(result.out)).toEqual([
      { kind: "command", line: "/rollback prod", command: { name: "rollback", stage: "prod" } },
    ]);
  });

  it("says when a comment has no commands", async () => {
    expect((await run(["check-comment", "> /promote prod"])).out).toBe(
      "no commands (quoted, fenced and inline-code lines are ignored)",
    );
  });

  it.each([[["check-comment"]], [["check-comment", "text", "--file", "x.md"]]])("refuses %j with its usage", async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain("give the comment as TEXT or with --file PATH, not both");
    expect(result.err).toContain("Usage: stagecoach check-comment");
  });

  it("names a missing file", async () => {
    const result = await run(["check-comment", "--file", "/nonexistent/comment.md"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("/nonexistent/comment.md");
  });
});
