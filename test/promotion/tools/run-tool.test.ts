import { existsSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { offlineEnvironment, runTool, UNREACHABLE_PROXY } from "../../../src/promotion/tools/run-tool.js";

const parseEnv = (text: string) => Object.fromEntries(text.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));

describe("runTool", () => {
  it("offline, hands the tool nothing of the App's environment but PATH, with a private HOME removed afterwards", async () => {
    process.env.STAGECOACH_TEST_SECRET = "must-not-leak";
    let printed: string;
    try {
      printed = await runTool("/usr/bin/env", [], { cwd: tmpdir(), offline: true });
    } finally {
      delete process.env.STAGECOACH_TEST_SECRET;
    }
    const env = parseEnv(printed);
    expect(Object.keys(env).sort()).toEqual(
      ["ALL_PROXY", "GIT_ALLOW_PROTOCOL", "GIT_CONFIG_NOSYSTEM", "GIT_TERMINAL_PROMPT", "HOME", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "PATH", "all_proxy", "http_proxy", "https_proxy", "no_proxy"].sort(),
    );
    expect(env).toEqual(offlineEnvironment(env.HOME!, process.env.PATH!));
    expect(existsSync(env.HOME!)).toBe(false);
  });

  it("without offline, passes the App's environment through", async () => {
    process.env.STAGECOACH_TEST_VISIBLE = "passed";
    try {
      const env = parseEnv(await runTool("/usr/bin/env", [], { cwd: tmpdir() }));
      expect(env.STAGECOACH_TEST_VISIBLE).toBe("passed");
      expect(env.HOME).toBe(process.env.HOME);
    } finally {
      delete process.env.STAGECOACH_TEST_VISIBLE;
    }
  });

  it("points offline proxies at a port where nothing listens", async () => {
    const { hostname, port } = new URL(UNREACHABLE_PROXY);
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => reject(new Error(`${UNREACHABLE_PROXY} accepted a connection`)));
      socket.on("error", resolve);
    });
    expect(error.code).toBe("ECONNREFUSED");
  });

  it("carries the tool's stderr in its failure", async () => {
    await expect(runTool("/bin/sh", ["-c", "echo broken >&2; exit 3"], { cwd: tmpdir(), offline: true })).rejects.toThrow("/bin/sh -c echo broken >&2; exit 3 failed: broken");
  });
});
