import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The README's first command: the demo must tell the whole story it promises, with the real App code. */
describe("npm run demo", () => {
  it("plays install → config check → registry push → freight → dev PR merged → /promote uat (refused, then approved by review and auto-merged) → /promote prod (refused, then reviewed and merged), and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/sandbox/demo.ts"], {
      env: { ...process.env, REDIS_URL: "", LOG_LEVEL: "warn" },
      timeout: 90_000,
    });
    expect(stdout).toContain("(queue: memory, no REDIS_URL)");
    expect(stdout).toMatch(/check run stagecoach\/config: success — guestbook: 1 warehouses, 3 stages/);
    expect(stdout).toMatch(/alice pushes a typo → check run stagecoach\/config: failure/);
    expect(stdout).toMatch(/\.github\/stagecoach\.yml:14:5: from: "devv" is neither a warehouse nor a stage/);
    expect(stdout).toMatch(/check run stagecoach\/warehouse app: success — - image 127\.0\.0\.1:\d+\/acme\/app: nothing matches the subscription yet/);
    expect(stdout).toMatch(/CI pushes 127\.0\.0\.1:\d+\/acme\/app:1\.1\.0 \(sha256:[0-9a-f]{12}…\); the registry notifies Stagecoach/);
    const alias = /new freight ([a-z]+-[a-z]+) \([0-9a-f]{7}\) recorded as commit [0-9a-f]{7} on refs\/stagecoach\/freight\/guestbook/.exec(stdout)?.[1];
    expect(alias).toBeDefined();
    expect(stdout).toContain(`pull request #1 "Promote ${alias} to dev" opened`);
    expect(stdout).toContain(`labels: stage:dev, freight:${alias}, warehouse:app`);
    expect(stdout).toContain("env/dev/kustomization.yaml on the branch: newTag: 1.1.0");
    expect(stdout).toMatch(/alice merges #1 → promotion Succeeded; main now has newTag: 1.1.0/);
    expect(stdout).toMatch(new RegExp(`GitHub deployment to dev: ${alias} at [0-9a-f]{7}`));
    expect(stdout).toContain('bob (read access) comments "/promote uat" → @bob cannot promote to uat: it needs write access');
    expect(stdout).toContain(`alice comments "/promote uat" → @alice started the promotion of ${alias} to uat`);
    expect(stdout).toMatch(/pull request #3 "Promote [a-z-]+ to uat" opened; stagecoach\/approval: pending \(0 of 1 approvals\)/);
    expect(stdout).toMatch(/carol approves #3 → stagecoach\/approval: success \(1 of 1 approvals \(carol\)\); autoMerge → merged by stagecoach\[bot\]/);
    expect(stdout).toMatch(new RegExp(`uat promotion Succeeded; GitHub deployment to uat: ${alias}`));
    expect(stdout).toContain('alice comments "/promote prod" → @alice cannot promote to prod: only @carol may.');
    expect(stdout).toContain(`carol comments "/promote prod" → @carol started the promotion of ${alias} to prod`);
    expect(stdout).toMatch(/labels stage:prod, freight:[a-z-]+, warehouse:app, production; stagecoach\/approval: pending/);
    expect(stdout).toMatch(new RegExp(`prod promotion Succeeded; GitHub deployment to prod: ${alias}`));
    expect(stdout).toContain("everywhere: dev 1.1.0, uat 1.1.0, prod 1.1.0");
    expect(stdout).toMatch(/signed webhook deliveries, all answered: true/);
  }, 120_000);
});
