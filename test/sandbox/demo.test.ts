import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expectDemoStory } from "../support/demo-story-expectations.js";

const run = promisify(execFile);

/** The README's first command: the demo must tell the whole story it promises, with the real App code. */
describe("npm run demo", () => {
  it("plays push → freight → dev PR approved and merged → Argo CD synced → verified → /promote uat → verified → /promote prod refused, then accepted → prod, and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/sandbox/demo.ts"], {
      env: { ...process.env, REDIS_URL: "", LOG_LEVEL: "warn" },
      timeout: 90_000,
    });
    expect(stdout).toContain("(queue: memory, no REDIS_URL)");
    expectDemoStory(stdout);
  }, 120_000);
});
