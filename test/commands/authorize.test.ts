import { describe, expect, it } from "vitest";
import { authorize, type Actor, type RepoPermission } from "../../src/commands/authorize.js";
import type { Command } from "../../src/commands/types.js";

const promote: Command = { name: "promote", stage: "prod" };
const approve: Command = { name: "approve", freight: "wiggly-tuatara", stage: "prod" };
const prod = { name: "prod", promoters: ["alice", "@acme/release"], approvers: ["@Carol"] };

function actor(login: string, permission: RepoPermission = "write", teams: string[] = []): Actor {
  return { login, permission, teams };
}

describe("authorize", () => {
  it.each<[string, Command, Actor, boolean]>([
    ["a writer on a stage with no lists", promote, actor("bob"), true],
    ["a maintainer", promote, actor("bob", "maintain"), true],
    ["an admin", promote, actor("bob", "admin"), true],
    ["a reader", promote, actor("bob", "read"), false],
    ["a triager", promote, actor("bob", "triage"), false],
    ["someone with no access", promote, actor("bob", "none"), false],
    ["a reader asking for status", { name: "status" }, actor("bob", "read"), true],
    ["a reader asking for help", { name: "help" }, actor("bob", "none"), true],
  ])("%s", (_label, command, who, allowed) => {
    expect(authorize(command, who, { name: "dev" }).allowed).toBe(allowed);
  });

  it.each<[string, Command, Actor, boolean]>([
    ["a listed promoter", promote, actor("alice"), true],
    ["a listed promoter in other letter case", promote, actor("ALICE"), true],
    ["a member of a listed team", promote, actor("dave", "write", ["acme/release"]), true],
    ["a member of a listed team in other letter case", promote, actor("dave", "write", ["Acme/Release"]), true],
    ["a writer who is not listed", promote, actor("bob", "admin", ["acme/web"]), false],
    ["a listed promoter without write access", promote, actor("alice", "read"), false],
    ["a promoter approving", approve, actor("alice"), false],
    ["a listed approver", approve, actor("carol"), true],
    ["an approver promoting", promote, actor("carol"), false],
    ["a user named like a team", promote, actor("release"), false],
    ["a rollback by a promoter", { name: "rollback", stage: "prod" }, actor("alice"), true],
    ["an abort by a non-promoter", { name: "abort" }, actor("bob"), false],
    ["a reverify by a non-promoter", { name: "reverify", stage: "prod" }, actor("bob"), false],
  ])("on a narrowed stage: %s", (_label, command, who, allowed) => {
    expect(authorize(command, who, prod).allowed).toBe(allowed);
  });

  it("names who may promote and how to be added", () => {
    expect(authorize(promote, actor("bob"), prod)).toEqual({
      allowed: false,
      message:
        "@bob cannot promote to prod: only @alice and @acme/release may. Ask one of them, or add @bob " +
        "(or one of your teams) to `github.promoters` of stage `prod` in `.github/stagecoach.yml`.",
    });
  });

  it("lists three or more names with commas", () => {
    const stage = { name: "prod", approvers: ["a", "b", "c"] };
    const result = authorize(approve, actor("bob"), stage);
    expect((result as { message: string }).message).toContain(
      "@bob cannot approve freight for prod: only @a, @b and @c may.",
    );
  });

  it("says write access is missing before looking at the lists", () => {
    expect(authorize({ name: "rollback", stage: "prod" }, actor("eve", "read"), prod)).toEqual({
      allowed: false,
      message:
        "@eve cannot roll back prod: it needs write access to this repository and @eve has read. " +
        "Ask someone with write access to run it, or a repository admin to grant you write access.",
    });
  });

  it("ignores blank entries instead of letting them match everyone", () => {
    expect(authorize(promote, actor("bob"), { name: "prod", promoters: ["", " @ "] }).allowed).toBe(true);
    expect(authorize(promote, actor("bob"), { name: "prod", promoters: ["", "alice"] }).allowed).toBe(false);
  });
});
