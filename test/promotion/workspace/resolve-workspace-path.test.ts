import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeWorkspacePath, resolveWorkspacePath } from "../../../src/promotion/workspace/resolve-workspace-path.js";

describe("normalizeWorkspacePath", () => {
  it("normalises harmless paths", () => {
    expect(normalizeWorkspacePath("./src//a/../b/")).toBe("src/b");
    expect(normalizeWorkspacePath(".")).toBe("");
    expect(normalizeWorkspacePath("a\\b")).toBe("a/b");
  });

  it.each([
    ["../x", /leaves the workspace/],
    ["a/../../x", /leaves the workspace/],
    ["..\\x", /leaves the workspace/],
    ["/etc/passwd", /absolute path/],
    ["C:\\Windows", /absolute path/],
    ["src/.git/config", /git's own metadata/],
    ["a\0b", /is not a path/],
  ])("refuses %s", (input, message) => {
    expect(() => normalizeWorkspacePath(input)).toThrow(message);
  });
});

describe("resolveWorkspacePath", () => {
  it("allows links that stay inside and refuses links that leave, even for files not created yet", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "ws-"));
    mkdirSync(path.join(root, "real"));
    symlinkSync(path.join(root, "real"), path.join(root, "inside"));
    symlinkSync(tmpdir(), path.join(root, "outside"));
    expect(await resolveWorkspacePath(root, "inside/new.yaml")).toMatch(/real\/new\.yaml$/);
    await expect(resolveWorkspacePath(root, "outside/new/deeper.yaml")).rejects.toThrow(/symbolic link that points outside the workspace/);
  });
});
