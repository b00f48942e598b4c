import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isIgnoredSender, type SenderFields } from "../../src/commands/is-ignored-sender.js";

function payload(name: string): SenderFields {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), "utf8"));
}

describe("isIgnoredSender", () => {
  it("reads a person's recorded comment", () => {
    expect(isIgnoredSender(payload("issue_comment.created.promote.json"), "stagecoach")).toBe(false);
  });

  it("ignores the App's own recorded comment", () => {
    expect(isIgnoredSender(payload("issue_comment.created.app-itself.json"), "stagecoach")).toBe(true);
  });

  it.each<[string, SenderFields, boolean]>([
    ["another bot", { sender: { login: "renovate[bot]", type: "Bot" } }, true],
    ["the App's login even if typed as a user", { sender: { login: "Stagecoach[bot]", type: "User" } }, true],
    [
      "a comment the App posted for a user",
      { sender: { login: "alice", type: "User" }, comment: { performed_via_github_app: { slug: "stagecoach" } } },
      true,
    ],
    [
      "a comment another App posted for a user",
      { sender: { login: "alice", type: "User" }, comment: { performed_via_github_app: { slug: "other" } } },
      false,
    ],
    ["a user whose name ends like the App's", { sender: { login: "stagecoach", type: "User" } }, false],
    ["an organization", { sender: { login: "acme", type: "Organization" } }, false],
  ])("%s", (_label, fields, ignored) => {
    expect(isIgnoredSender(fields, "stagecoach")).toBe(ignored);
  });
});
