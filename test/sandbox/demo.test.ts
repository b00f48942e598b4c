import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The README's first command: the demo must tell the whole story it promises, with the real App code. */
describe("npm run demo", () => {
  it("plays install → config check (good, broken, fixed) → promotion PR → merge, and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/sandbox/demo.ts"], {
      env: { ...process.env, REDIS_URL: "", LOG_LEVEL: "warn" },
      timeout: 90_000,
    });
    expect(stdout).toContain("(queue: memory, no REDIS_URL)");
    expect(stdout).toMatch(/check run stagecoach\/config: success — guestbook: 1 warehouses, 3 stages/);
    expect(stdout).toMatch(/alice pushes a typo → check run stagecoach\/config: failure/);
    expect(stdout).toMatch(/\.github\/stagecoach\.yml:14:5: from: "devv" is neither a warehouse nor a stage/);
    expect(stdout).toMatch(/pull request #1 "Promote brave-otter to dev" opened/);
    expect(stdout).toContain("env/dev/kustomization.yaml on the branch: newTag: 1.1.0");
    expect(stdout).toMatch(/alice merges #1 → promotion Succeeded; main now has newTag: 1.1.0/);
    expect(stdout).toMatch(/signed webhook deliveries, all answered: true/);
  }, 120_000);
});
