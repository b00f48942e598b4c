import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Octokit } from "@octokit/rest";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const GOOD = readFileSync(new URL("../fixtures/config/good/pipeline/.github/stagecoach.yml", import.meta.url), "utf8");
// Line 10 names a warehouse that does not exist.
const BROKEN = GOOD.replace("    from: app\n    autoPromote", "    from: ap\n    autoPromote");

type Checked = { owner: string; repo: string; sha: string; valid: boolean; applied: boolean };

/**
 * The pipeline config as users meet it on GitHub: a check run with annotations on every push and
 * pull request that touches it, and a broken config on the default branch never replacing the last good one.
 */
describe("end to end: the stagecoach/config check run", () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  const checked: Checked[] = [];

  const waitForCheck = async (sha: string): Promise<Checked> => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = checked.find((c) => c.sha === sha);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no config check for ${sha}`);
  };
  const checkRunOn = async (sha: string) => {
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
    expect(data.total_count).toBe(1);
    return data.check_runs[0]!;
  };
  const lastGood = async () => {
    const { data } = await octokit.rest.git.getRef({ owner: "acme", repo: "gitops", ref: "stagecoach/config/last-good" });
    return data.object.sha;
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { onConfigChecked: (result) => checked.push(result) });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("passes a valid config pushed to the default branch and adopts it as the last good config", async () => {
    const sha = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": GOOD }, message: "add pipeline", author: "acme" });
    expect(await waitForCheck(sha)).toMatchObject({ valid: true, applied: true });
    const run = await checkRunOn(sha);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run.output.summary).toContain("guestbook: 1 warehouses, 3 stages");
    expect(await lastGood()).toBe(sha);
  });

  it("fails a broken config with an annotation at the line, and keeps the last good config running", async () => {
    const good = await lastGood();
    const sha = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": BROKEN }, message: "typo", author: "acme" });
    expect(await waitForCheck(sha)).toMatchObject({ valid: false, applied: false });
    const run = await checkRunOn(sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`keeps running the last good config (from ${good.slice(0, 7)})`);
    const { data: annotations } = await octokit.rest.checks.listAnnotations({ owner: "acme", repo: "gitops", check_run_id: run.id });
    expect(annotations).toContainEqual(expect.objectContaining({ path: ".github/stagecoach.yml", start_line: 10, annotation_level: "failure" }));
    expect(annotations.find((a) => a.start_line === 10)?.message).toMatch(/ap/);
    expect(await lastGood()).toBe(good);
  });

  it("checks a pull request that changes the config, without adopting it", async () => {
    const good = await lastGood();
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "fix-config", files: { ".github/stagecoach.yml": GOOD.replace("soak: 1h", "soak: 2h") }, message: "longer soak", author: "acme" });
    await t.sandbox.openPullRequest({ owner: "acme", repo: "gitops", head: "fix-config", base: "main", title: "Longer soak in prod", author: "acme" });
    const head = (await t.sandbox.branchSha("acme", "gitops", "fix-config"))!;
    expect(await waitForCheck(head)).toMatchObject({ valid: true, applied: false });
    expect((await checkRunOn(head)).conclusion).toBe("success");
    expect(await lastGood()).toBe(good);
  });

  it("ignores pushes that do not touch the config", async () => {
    const sha = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { "env/dev/x.yaml": "a: 1\n" }, message: "unrelated", author: "acme" });
    await t.sandbox.waitForIdle();
    await new Promise((r) => setTimeout(r, 300));
    expect(checked.filter((c) => c.sha === sha)).toEqual([]);
    expect(await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" }).then((r) => r.data.check_runs)).toEqual([]);
  });
});
