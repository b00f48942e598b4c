import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/commands/command-table.js";
import { MAX_COMMANDS_PER_COMMENT, parseComment } from "../../src/commands/parse-comment.js";

function commentFixture(name: string): { comment: { body: string } } {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), "utf8"));
}

function commands(body: string) {
  return parseComment(body).map((r) => (r.kind === "command" ? r.command : r.kind));
}

describe("parseComment", () => {
  it.each([
    ["/promote uat", { name: "promote", stage: "uat" }],
    ["/promote prod wiggly-tuatara", { name: "promote", stage: "prod", freight: "wiggly-tuatara" }],
    ["/promote prod v1.2.3", { name: "promote", stage: "prod", freight: "v1.2.3" }],
    ["/approve 3f2a9c1 prod", { name: "approve", freight: "3f2a9c1", stage: "prod" }],
    ["/rollback prod", { name: "rollback", stage: "prod" }],
    ["/rollback prod 1.4.0", { name: "rollback", stage: "prod", freight: "1.4.0" }],
    ["/abort", { name: "abort" }],
    ["/abort uat", { name: "abort", stage: "uat" }],
    ["/reverify dev", { name: "reverify", stage: "dev" }],
    ["/status", { name: "status" }],
    ["/help", { name: "help" }],
    ["/PROMOTE   uat\t", { name: "promote", stage: "uat" }],
    ["   /status", { name: "status" }],
  ])("%s", (body, command) => {
    expect(parseComment(body)).toEqual([{ kind: "command", line: body.trim(), command }]);
  });

  it("reads several commands, in order, from one comment with prose around them", () => {
    const body = "Verified by hand.\n/approve wiggly-tuatara prod\n/promote prod wiggly-tuatara\n\nThanks!\r\n/status";
    expect(commands(body)).toEqual([
      { name: "approve", freight: "wiggly-tuatara", stage: "prod" },
      { name: "promote", stage: "prod", freight: "wiggly-tuatara" },
      { name: "status" },
    ]);
  });

  it.each([
    ["a quote", "> /promote prod"],
    ["a quote continued lazily", "> you wrote:\n/promote prod"],
    ["a nested quote", "> > /promote prod"],
    ["a fenced code block", "```\n/promote prod\n```"],
    ["a tilde fence", "~~~sh\n/promote prod\n~~~"],
    ["an unclosed fence", "```\n/promote prod"],
    ["an indented code block", "    /promote prod"],
    ["inline code", "`/promote prod`"],
    ["inline code over two lines", "see `the\n/promote prod` command"],
    ["an HTML comment", "<!-- /promote prod -->"],
    ["the middle of a sentence", "please /promote prod"],
    ["a list item", "- /promote prod"],
    ["an escaped slash", "\\/promote prod"],
    ["a path", "/usr/local/bin is on the PATH"],
    ["a lone slash", "/ hello"],
  ])("ignores a command inside %s", (_label, body) => {
    expect(parseComment(body)).toEqual([]);
  });

  it("ignores the quoted and fenced commands of a recorded issue_comment payload", () => {
    const payload = commentFixture("issue_comment.created.promote.json");
    expect(commands(payload.comment.body)).toEqual([{ name: "promote", stage: "prod", freight: "wiggly-tuatara" }]);
  });

  it("answers an unknown command with the help text listing every command", () => {
    const [result] = parseComment("/deploy prod");
    expect(result).toMatchObject({ kind: "unknown", name: "deploy", message: "`/deploy` is not a Stagecoach command." });
    const help = (result as { help: string }).help;
    for (const spec of Object.values(COMMANDS)) expect(help).toContain(spec.usage);
  });

  it("does not treat inherited object keys as commands", () => {
    expect(parseComment("/constructor\n/hasOwnProperty prod\n/toString").map((r) => r.kind)).toEqual([
      "unknown",
      "unknown",
      "unknown",
    ]);
  });

  it.each([
    ["/promote", "`/promote`: missing <stage>. Write it as `/promote <stage> [freight]`."],
    ["/approve wiggly-tuatara", "`/approve`: missing <stage>. Write it as `/approve <freight> <stage>`."],
    ["/approve", "`/approve`: missing <freight> and <stage>. Write it as `/approve <freight> <stage>`."],
    ["/reverify", "`/reverify`: missing <stage>. Write it as `/reverify <stage>`."],
    ["/status now", "`/status`: unexpected `now`. Write it as `/status`."],
    ["/promote uat a b", "`/promote`: unexpected `b`. Write it as `/promote <stage> [freight]`."],
    [
      "/promote Prod",
      "`/promote`: `Prod` is not a valid <stage>: a stage name is lowercase letters, digits and dashes. Write it as `/promote <stage> [freight]`.",
    ],
    [
      "/promote prod;rm",
      "`/promote`: `prod;rm` is not a valid <stage>: a stage name is lowercase letters, digits and dashes. Write it as `/promote <stage> [freight]`.",
    ],
    [
      "/rollback prod ../../etc",
      "`/rollback`: `../../etc` is not a valid <freight>: freight is an alias, an ID prefix or an image tag (letters, digits, . _ -). Write it as `/rollback <stage> [freight]`.",
    ],
  ])("refuses %j with the command's usage", (body, message) => {
    expect(parseComment(body)).toEqual([
      { kind: "invalid", line: body, name: body.slice(1).split(" ")[0]?.toLowerCase(), message, usage: expect.any(String) },
    ]);
  });

  it("keeps a hostile word from mentioning people or breaking out of its code span", () => {
    const [result] = parseComment(`/promote @everyone\`<img/src=x>${"a".repeat(500)}`);
    const message = (result as { message: string }).message;
    expect(message).toContain("`@everyone'<img/src=x>aaaa");
    expect(message).not.toContain("a".repeat(41));
    expect((message.match(/`/g) ?? []).length % 2).toBe(0);
  });

  it("refuses the arguments of the recorded hostile comment one by one", () => {
    const payload = commentFixture("issue_comment.created.hostile.json");
    expect(parseComment(payload.comment.body).map((r) => r.kind)).toEqual(["unknown", "invalid", "invalid", "invalid"]);
  });

  it(`runs at most ${MAX_COMMANDS_PER_COMMENT} commands from one comment`, () => {
    const results = parseComment(Array.from({ length: 500 }, () => "/status").join("\n"));
    expect(results).toHaveLength(MAX_COMMANDS_PER_COMMENT + 1);
    expect(results.at(-1)).toMatchObject({ kind: "too-many" });
  });

  it("reads a quote thousands of levels deep as a quote, and the command after it", () => {
    expect(commands(`${"> ".repeat(30_000)}/promote prod\n\n/status`)).toEqual([{ name: "status" }]);
    expect(commands(`${"> ".repeat(30_000)}quoted\n/promote prod`)).toEqual([]);
  });

  it("reads a list nested thousands deep as a list, and the command after it", () => {
    expect(commands(`${"1. ".repeat(20_000)}/promote uat\n\n/promote prod`)).toEqual([{ name: "promote", stage: "prod" }]);
  });

  it("reads no further than GitHub's 65,536 characters", () => {
    expect(commands(`${"x".repeat(65_540)}\n\n/status`)).toEqual([]);
    expect(commands(`${"x".repeat(65_000)}\n\n/status`)).toEqual([{ name: "status" }]);
  });

  it("finds nothing in an empty or command-free comment", () => {
    expect(parseComment("")).toEqual([]);
    expect(parseComment("LGTM 🚀")).toEqual([]);
  });
});
