import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../src/clock.js";
import { createHybridWorkspaceFactory } from "../../../src/promotion/workspace/hybrid-workspace.js";
import { createRemoteRepo } from "../support/git-repo.js";
import { startPromotionSandbox, type PromotionSandbox } from "../support/github-sandbox.js";
import { request, run } from "../support/run-helpers.js";

const OTHER_REMOTE = "https://git.example.org/platform/shared.git";
let sb: PromotionSandbox | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c());
  await sb?.close();
  sb = undefined;
});

describe("hybrid workspace", () => {
  it("writes GitHub repos through the API and other remotes with git, in one promotion", async () => {
    sb = await startPromotionSandbox({ "env/prod/kustomization.yaml": "resources:\n  - cm.yaml\nnamePrefix: prod-\n", "env/prod/cm.yaml": "placeholder: true\n" });
    const shared = createRemoteRepo({ "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n" });
    cleanups.push(shared.cleanup);
    const workspaces = createHybridWorkspaceFactory({
      api: { client: sb.octokit, hosts: [sb.host] },
      local: { clock: systemClock, baseDir: mkdtempSync(path.join(tmpdir(), "hybrid-")), resolveRemote: (url) => (url === OTHER_REMOTE ? shared.remote : url) },
    });
    const state = await run(
      request([
        { uses: "git-clone", config: { repoURL: sb.repoURL, checkout: [{ branch: "main", path: "./gitops" }] } },
        { uses: "git-clone", config: { repoURL: OTHER_REMOTE, checkout: [{ branch: "main", path: "./shared" }] } },
        { uses: "copy", config: { inPath: "./shared/cm.yaml", outPath: "./gitops/env/prod/cm.yaml" } },
        { uses: "kustomize-build", config: { path: "./gitops/env/prod", outPath: "./out/prod.yaml" } },
        { uses: "yaml-parse", as: "rendered", config: { path: "./out/prod.yaml", outputs: [{ name: "name", fromExpression: "metadata.name" }] } },
        { uses: "file-write", config: { path: "./shared/NOTE", contents: "used by prod\n" } },
        { uses: "git-commit", config: { path: "./gitops", message: "take shared cm" } },
        { uses: "git-push", config: { path: "./gitops" } },
        { uses: "git-commit", config: { path: "./shared", message: "note" } },
        { uses: "git-push", config: { path: "./shared" } },
      ]),
      { workspaces, services: sb.services },
    );
    expect(state.message).toBeUndefined();
    expect(state.steps.find((s) => s.alias === "rendered")?.outputs).toEqual({ name: "prod-shared" });
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "env/prod/cm.yaml")).toContain("name: shared");
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "out/prod.yaml")).toBeUndefined();
    expect(shared.read("main", "NOTE")).toBe("used by prod");
    expect(shared.log("main")).toEqual(["note", "seed"]);
  });
});
