import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStateStore } from "../../../src/promotion/state-store.js";
import type { PromotionState, PromotionStepSpec } from "../../../src/promotion/types.js";
import { startPromotionSandbox, type PromotionSandbox } from "../support/github-sandbox.js";
import { request, run } from "../support/run-helpers.js";

const VALUES = "# prod\nimage:\n  repository: ghcr.io/acme/shop\n  tag: \"1.3.0\"  # bumped by Stagecoach\n";
const FILES: Record<string, string> = { "env/prod/values.yaml": VALUES, "env/dev/values.yaml": "image:\n  tag: dev\n", "README.md": "gitops\n" };
let sb: PromotionSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function steps(repoURL: string, push: Record<string, unknown> = {}): PromotionStepSpec[] {
  return [
    { uses: "git-clone", config: { repoURL, checkout: [{ branch: "main", path: "./src" }] } },
    { uses: "yaml-update", as: "update", config: { path: "./src/env/prod/values.yaml", updates: [{ key: "image.tag", value: "${{ imageFrom('ghcr.io/acme/shop').Tag }}" }] } },
    { uses: "git-commit", as: "commit", config: { path: "./src", message: "${{ outputs.update.commitMessage }}" } },
    { uses: "git-push", as: "push", config: { path: "./src", ...push } },
  ];
}

async function mainLog(s: PromotionSandbox): Promise<string[]> {
  const { data } = await s.octokit.request("GET /repos/{owner}/{repo}/commits", { owner: "acme", repo: "gitops", sha: "main" });
  return data.map((c) => c.commit.message);
}

describe("GitHub API workspace (against the sandbox)", () => {
  it("promotes a one-file change with five API calls and one commit written as the App", async () => {
    sb = await startPromotionSandbox(FILES);
    const state = await run(request(steps(sb.repoURL)), { workspaces: sb.workspaces, services: sb.services });
    expect(state.message).toBeUndefined();
    expect(state.phase).toBe("Succeeded");
    expect(sb.calls()).toEqual({
      "GET /repos/{owner}/{repo}/branches/{branch}": 1,
      "GET /repos/{owner}/{repo}/contents/{path}": 1,
      "POST /repos/{owner}/{repo}/git/trees": 1,
      "POST /repos/{owner}/{repo}/git/commits": 1,
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}": 1,
    });
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "env/prod/values.yaml")).toBe(VALUES.replace('"1.3.0"', '"1.4.0"'));
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "env/dev/values.yaml")).toBe(FILES["env/dev/values.yaml"]);
    expect(await mainLog(sb)).toEqual(["Updated ./src/env/prod/values.yaml: image.tag=1.4.0", expect.any(String)]);
    const push = state.steps.find((s) => s.alias === "push");
    expect(push?.outputs).toMatchObject({ branch: "main", commit: await sb.test.sandbox.branchSha("acme", "gitops", "main") });
  });

  it("makes no commit when the change is already there", async () => {
    sb = await startPromotionSandbox(FILES);
    await run(request(steps(sb.repoURL)), { workspaces: sb.workspaces, services: sb.services });
    const tip = await sb.test.sandbox.branchSha("acme", "gitops", "main");
    const again = await run({ ...request(steps(sb.repoURL)), id: "shop/prod/second" }, { workspaces: sb.workspaces, services: sb.services });
    expect(again.phase).toBe("Succeeded");
    expect(again.steps.find((s) => s.alias === "commit")?.outputs).toEqual({ commit: "", changed: false });
    expect(await sb.test.sandbox.branchSha("acme", "gitops", "main")).toBe(tip);
  });

  it("resumes after a kill at git-push without a second commit", async () => {
    sb = await startPromotionSandbox(FILES);
    const inner = createMemoryStateStore();
    let killed = false;
    const dying = {
      get: inner.get,
      put: async (state: PromotionState) => {
        if (!killed && state.steps.find((s) => s.alias === "push")?.phase === "Succeeded") {
          killed = true;
          throw new Error("worker killed");
        }
        await inner.put(state);
      },
    };
    const req = request(steps(sb.repoURL));
    await expect(run(req, { store: dying, workspaces: sb.workspaces, services: sb.services })).rejects.toThrow("worker killed");
    const tip = await sb.test.sandbox.branchSha("acme", "gitops", "main");
    const resumed = await run(req, { store: inner, workspaces: sb.workspaces, services: sb.services });
    expect(resumed.phase).toBe("Succeeded");
    expect(await sb.test.sandbox.branchSha("acme", "gitops", "main")).toBe(tip);
    expect(await mainLog(sb)).toHaveLength(2);
  });

  it("replays its change on top when someone pushed to the branch meanwhile", async () => {
    sb = await startPromotionSandbox(FILES);
    const { sandbox } = sb.test;
    const racing = {
      ...request([
        ...steps(sb.repoURL).slice(0, 3),
        { uses: "compose-output", as: "race", config: {} },
        steps(sb.repoURL)[3] as PromotionStepSpec,
      ]),
    };
    const store = createMemoryStateStore();
    // Someone pushes between our commit and our push.
    const put = store.put;
    let raced = false;
    store.put = async (state) => {
      if (!raced && state.steps.find((s) => s.alias === "race")?.phase === "Running") {
        raced = true;
        await sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { "README.md": "changed elsewhere\n" }, message: "someone else", author: "acme" });
      }
      await put(state);
    };
    const state = await run(racing, { store, workspaces: sb.workspaces, services: sb.services });
    expect(state.message).toBeUndefined();
    expect(await sandbox.readFile("acme", "gitops", "main", "README.md")).toBe("changed elsewhere\n");
    expect(await sandbox.readFile("acme", "gitops", "main", "env/prod/values.yaml")).toContain('"1.4.0"');
    expect((await mainLog(sb)).slice(0, 2)).toEqual(["Updated ./src/env/prod/values.yaml: image.tag=1.4.0", "someone else"]);
  });

  it("opens one pull request even when resumed, waits for it, and reports the merge commit", async () => {
    sb = await startPromotionSandbox(FILES);
    const pipeline = [
      ...steps(sb.repoURL, { generateTargetBranch: true }),
      { uses: "git-open-pr", as: "pr", config: { repoURL: sb.repoURL, sourceBranch: "${{ outputs.push.branch }}", targetBranch: "main" } },
      { uses: "git-wait-for-pr", as: "wait", config: { repoURL: sb.repoURL, prNumber: "${{ outputs.pr.pr.id }}" } },
    ];
    const store = createMemoryStateStore();
    const first = await run(request(pipeline), { store, workspaces: sb.workspaces, services: sb.services });
    expect(first.phase).toBe("Running");
    const pr = first.steps.find((s) => s.alias === "pr")?.outputs as { pr: { id: number; url: string } };
    // A second worker re-runs the PR step (as after a crash): it finds the same pull request.
    const redo: PromotionState = { ...first, currentStep: 4, steps: first.steps.map((s, i) => (i >= 4 ? { ...s, phase: "Pending" as const } : s)) };
    await store.put(redo);
    const second = await run(request(pipeline), { store, workspaces: sb.workspaces, services: sb.services });
    expect(second.steps.find((s) => s.alias === "pr")?.outputs).toEqual({ pr: pr.pr, reused: true });
    const { data: open } = await sb.octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "gitops", state: "all" });
    expect(open).toHaveLength(1);
    const merge = await sb.test.sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pr.pr.id, by: "acme" });
    const done = await run(request(pipeline), { store, workspaces: sb.workspaces, services: sb.services });
    expect(done.phase).toBe("Succeeded");
    expect(done.steps.find((s) => s.alias === "wait")?.outputs).toEqual({ commit: merge });
  });

  it("merges its pull request with git-merge-pr, and aborts at git-wait-for-pr on a pull request closed unmerged", async () => {
    sb = await startPromotionSandbox(FILES);
    const open = [
      ...steps(sb.repoURL, { generateTargetBranch: true }),
      { uses: "git-open-pr", as: "pr", config: { repoURL: sb.repoURL, sourceBranch: "${{ outputs.push.branch }}", targetBranch: "main", title: "Promote" } },
    ];
    const merged = await run(request([...open, { uses: "git-merge-pr", as: "merge", config: { repoURL: sb.repoURL, prNumber: "${{ outputs.pr.pr.id }}", mergeMethod: "squash" } }]), {
      workspaces: sb.workspaces,
      services: sb.services,
    });
    expect(merged.message).toBeUndefined();
    const commit = merged.steps.find((s) => s.alias === "merge")?.outputs?.commit;
    expect(commit).toBe(await sb.test.sandbox.branchSha("acme", "gitops", "main"));
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "env/prod/values.yaml")).toContain('"1.4.0"');

    const store = createMemoryStateStore();
    const waiting = request([...open, { uses: "git-wait-for-pr", as: "wait", config: { repoURL: sb.repoURL, prNumber: "${{ outputs.pr.pr.id }}" } }]);
    waiting.id = "shop/prod/closed";
    waiting.freight = [{ ...(waiting.freight[0] as (typeof waiting.freight)[0]), images: [{ repoURL: "ghcr.io/acme/shop", tag: "1.5.0" }] }];
    const first = await run(waiting, { store, workspaces: sb.workspaces, services: sb.services });
    expect(first.phase).toBe("Running");
    const number = (first.steps.find((s) => s.alias === "pr")?.outputs as { pr: { id: number } }).pr.id;
    await sb.octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "acme", repo: "gitops", pull_number: number, state: "closed" });
    const closed = await run(waiting, { store, workspaces: sb.workspaces, services: sb.services });
    expect(closed.phase).toBe("Aborted");
    expect(closed.message).toMatch(new RegExp(`pull request #${number} \\(.*\\) was closed without merging`));
  });

  it.each([
    [(url: string) => url.replace("acme/gitops", "acme/missing"), /Not Found|does not exist/],
    [() => "https://gitlab.com/acme/gitops.git", /is not a repository on .*; this workspace writes through the GitHub API only/],
  ])("refuses a repo it cannot reach %#", async (url, message) => {
    sb = await startPromotionSandbox(FILES);
    const state = await run(request(steps(url(sb.repoURL))), { workspaces: sb.workspaces, services: sb.services });
    expect(["Errored", "Failed"]).toContain(state.phase);
    expect(state.message).toMatch(message);
  });

  it("fails when the file is missing and leaves main alone", async () => {
    sb = await startPromotionSandbox(FILES);
    const tip = await sb.test.sandbox.branchSha("acme", "gitops", "main");
    const broken = steps(sb.repoURL);
    (broken[1] as { config: { path: string } }).config.path = "./src/env/qa/values.yaml";
    const state = await run(request(broken), { workspaces: sb.workspaces, services: sb.services });
    expect(state.phase).toBe("Failed");
    expect(state.message).toMatch(/file "\.\/src\/env\/qa\/values\.yaml" does not exist/);
    expect(await sb.test.sandbox.branchSha("acme", "gitops", "main")).toBe(tip);
  });

  it("materialises only what a kustomize build reads", async () => {
    const files: Record<string, string> = {
      "base/kustomization.yaml": "resources:\n  - cm.yaml\n",
      "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  tag: '1'\n",
      "env/prod/kustomization.yaml": "resources:\n  - ../../base\nnamePrefix: prod-\n",
    };
    for (let i = 0; i < 20; i++) files[`unrelated/file-${i}.yaml`] = `n: ${i}\n`;
    sb = await startPromotionSandbox(files);
    const state = await run(
      request([
        { uses: "git-clone", config: { repoURL: sb.repoURL, checkout: [{ branch: "main", path: "./src" }] } },
        { uses: "kustomize-build", config: { path: "./src/env/prod", outPath: "./out/prod.yaml" } },
        { uses: "yaml-parse", as: "read", config: { path: "./out/prod.yaml", outputs: [{ name: "name", fromExpression: "metadata.name" }] } },
      ]),
      { workspaces: sb.workspaces, services: sb.services },
    );
    expect(state.message).toBeUndefined();
    expect(state.steps.find((s) => s.alias === "read")?.outputs).toEqual({ name: "prod-app" });
    expect(sb.calls()["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"]).toBe(3);
  });
});
