import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

// Issue 10, "leaks": `_extends` from another private repository of the installation showed that
// file's key names and lines to the pull request's author, in the stagecoach/config check run.
// The App reads that file with its own token; the person who wrote `_extends` may not read it.
const PRIVATE_DEFAULTS = [
  "warehouses:",
  "  - name: app",
  "    subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }]",
  "stages:",
  "  - name: dev",
  "    from: app",
  "    internalDeployKey: s3cr3t-value",
  "    github: { mergeMethod: fastforward-secret-team }",
].join("\n");

describe("a config check that follows _extends into a private repository", () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  const checked: string[] = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { onConfigChecked: (result) => checked.push(result.sha) });
    await t.sandbox.createRepo("acme", "platform-defaults", { private: true, files: { ".github/stagecoach.yml": PRIVATE_DEFAULTS } });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops", "platform-defaults"]);
    octokit = await t.installationOctokit(installationId);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("says how many problems the other repository's file has and who can see them, and nothing of its content", async () => {
    const own = "_extends: platform-defaults\nstages:\n  - name: dev\n    colour: blue\n";
    const sha = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "try-defaults", files: { ".github/stagecoach.yml": own }, message: "use the org defaults", author: "mallory" });
    const deadline = Date.now() + 15_000;
    while (!checked.includes(sha) && Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      await new Promise((r) => setTimeout(r, 25));
    }
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
    const run = data.check_runs[0]!;
    const { data: annotations } = await octokit.rest.checks.listAnnotations({ owner: "acme", repo: "gitops", check_run_id: run.id });

    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Config has 1 error and 2 warnings");
    // The repository's own file is annotated as before.
    expect(annotations).toEqual([
      expect.objectContaining({ path: ".github/stagecoach.yml", start_line: 4, annotation_level: "warning", message: "stages[0].colour: unsupported field, ignored (remove it, or check its spelling)" }),
    ]);
    expect(run.output.summary).toContain(
      "- `acme/platform-defaults:.github/stagecoach.yml` (read through `_extends`) has 1 error and 1 warning. The owners of acme/platform-defaults can see them with `npx stagecoach validate .github/stagecoach.yml` in a checkout of it.",
    );
    const shown = JSON.stringify({ output: run.output, annotations });
    for (const secret of ["internalDeployKey", "s3cr3t", "fastforward-secret-team", "mergeMethod", ":7:", ":8:"]) expect(shown).not.toContain(secret);
  });
});
