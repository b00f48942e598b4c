import { existsSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Clock } from "../../src/clock.js";
import { requestAbort } from "../../src/promotion/run-promotion.js";
import { createMemoryStateStore } from "../../src/promotion/state-store.js";
import { STEPS } from "../../src/promotion/steps/index.js";
import { defineStep } from "../../src/promotion/step-definition.js";
import type { PromotionState } from "../../src/promotion/types.js";
import { createRemoteRepo, git } from "./support/git-repo.js";
import { request, run } from "./support/run-helpers.js";

const VALUES = `# values for prod
image:
  repository: ghcr.io/acme/shop  # keep
  tag: "1.3.0"
replicas: 2
`;
const REPO_URL = "https://git.example.com/acme/gitops.git";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function remoteRepo() {
  const repo = createRemoteRepo({ "env/prod/values.yaml": VALUES });
  cleanups.push(repo.cleanup);
  return repo;
}

const promoteSteps = [
  { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
  { uses: "yaml-update", as: "update", config: { path: "./src/env/prod/values.yaml", updates: [{ key: "image.tag", value: "${{ imageFrom('ghcr.io/acme/shop').Tag }}" }] } },
  { uses: "git-commit", as: "commit", config: { path: "./src", message: "${{ outputs.update.commitMessage }}" } },
  { uses: "git-push", as: "push", config: { path: "./src" } },
];

function byAlias(state: PromotionState) {
  return Object.fromEntries(state.steps.map((s) => [s.alias, s]));
}

describe("runPromotion", () => {
  it("clones, edits, commits and pushes one commit, with outputs flowing between steps", async () => {
    const repo = remoteRepo();
    const state = await run(request(promoteSteps), { remotes: { [REPO_URL]: repo.remote } });
    expect(state.message).toBeUndefined();
    expect(state.phase).toBe("Succeeded");
    const steps = byAlias(state);
    expect(steps.push?.outputs).toMatchObject({ branch: "main", commit: git(repo.remote, "rev-parse", "main") });
    expect(repo.read("main", "env/prod/values.yaml")).toBe(VALUES.replace('"1.3.0"', '"1.4.0"').trimEnd());
    expect(repo.log("main")).toEqual(["Updated ./src/env/prod/values.yaml: image.tag=1.4.0", "seed"]);
  });

  it("checks out the freight's commit (fromFreight) and builds the commit message from earlier steps", async () => {
    const repo = remoteRepo();
    const seeded = git(repo.remote, "rev-parse", "main");
    const state = await run(
      request(
        [
          { uses: "git-clone", as: "clone", config: { repoURL: REPO_URL, checkout: [{ fromFreight: true, path: "./src" }] } },
          { uses: "yaml-update", as: "a", config: { path: "./src/env/prod/values.yaml", updates: [{ key: "replicas", value: 4 }] } },
          { uses: "yaml-update", as: "b", config: { path: "./src/env/prod/values.yaml", updates: [{ key: "image.tag", value: "9" }] } },
          { uses: "git-commit", config: { path: "./src", messageFromSteps: ["a", "b"] } },
          { uses: "git-push", as: "push", config: { path: "./src", targetBranch: "stage/prod" } },
        ],
        { freight: [{ name: "f", origin: { kind: "Warehouse", name: "config" }, commits: [{ repoURL: `${REPO_URL.replace(".git", "")}/`, id: seeded }] }] },
      ),
      { remotes: { [REPO_URL]: repo.remote } },
    );
    expect(state.message).toBeUndefined();
    expect(byAlias(state).clone?.outputs).toEqual({ commits: { "./src": seeded } });
    expect(git(repo.remote, "log", "-1", "--format=%B", "stage/prod")).toBe(
      "Updated ./src/env/prod/values.yaml: replicas=4\n\nUpdated ./src/env/prod/values.yaml: image.tag=9",
    );
  });

  it("skips steps after a failure, but runs if: always() and failure(), and reports status()", async () => {
    const state = await run(
      request([
        { uses: "compose-output", as: "first", config: { a: 1 } },
        { uses: "fail", as: "boom", config: { message: "stop here" } },
        { uses: "compose-output", as: "skipped", config: { b: 2 } },
        { uses: "compose-output", as: "cleanup", if: "${{ always() }}", config: { saw: "${{ status('boom') }}" } },
        { uses: "compose-output", as: "onFailure", if: "${{ failure() }}", config: { first: "${{ outputs.first.a }}" } },
        { uses: "compose-output", as: "onSuccess", if: "${{ success() }}", config: {} },
      ]),
    );
    const steps = byAlias(state);
    expect(state.phase).toBe("Failed");
    expect(state.message).toBe('step "boom" (fail): stop here');
    expect([steps.first?.phase, steps.boom?.phase, steps.skipped?.phase, steps.cleanup?.phase, steps.onFailure?.phase, steps.onSuccess?.phase]).toEqual([
      "Succeeded",
      "Failed",
      "Skipped",
      "Succeeded",
      "Succeeded",
      "Skipped",
    ]);
    expect(steps.cleanup?.outputs).toEqual({ saw: "Failed" });
    expect(steps.onFailure?.outputs).toEqual({ first: 1 });
  });

  it("keeps going past a step with continueOnError and ends Succeeded", async () => {
    const state = await run(
      request([
        { uses: "fail", as: "soft", continueOnError: true, config: { message: "tolerated" } },
        { uses: "compose-output", as: "after", config: { ok: "${{ success() }}" } },
      ]),
    );
    expect(state.phase).toBe("Succeeded");
    expect(byAlias(state).after?.outputs).toEqual({ ok: true });
  });

  it("applies var precedence: step vars > template vars > task defaults; task.outputs inside a task", async () => {
    const state = await run(
      request(
        [
          { task: { name: "render" }, as: "r", vars: [{ name: "fromStep", value: "step" }] },
          { uses: "compose-output", as: "outer", vars: [{ name: "level", value: "outer-step" }], config: { level: "${{ vars.level }}", inner: "${{ outputs['r::collect'].combined }}" } },
        ],
        {
          vars: [
            { name: "level", value: "template" },
            { name: "derived", value: "${{ vars.level + '-derived' }}" },
          ],
          tasks: {
            render: {
              name: "render",
              vars: [{ name: "level", value: "task-default" }, { name: "onlyTask", value: "task" }, { name: "fromStep" }],
              steps: [
                { uses: "compose-output", as: "first", config: { v: "${{ vars.level }}/${{ vars.onlyTask }}/${{ vars.fromStep }}/${{ vars.derived }}" } },
                { uses: "compose-output", as: "collect", config: { combined: "${{ task.outputs.first.v }}" } },
              ],
            },
          },
        },
      ),
    );
    expect(state.phase).toBe("Succeeded");
    const steps = byAlias(state);
    expect(steps["r::first"]?.outputs).toEqual({ v: "template/task/step/template-derived" });
    expect(steps.outer?.outputs).toEqual({ level: "outer-step", inner: "template/task/step/template-derived" });
  });

  it.each([
    [{ task: { name: "nope" } }, {}, /uses task "nope", which is not defined/],
    [{ task: { name: "t" } }, { tasks: { t: { name: "t", vars: [{ name: "needed" }], steps: [{ uses: "fail" }] } } }, /task "t" requires var "needed"; add it to the step's vars/],
    [{ task: { name: "t" } }, { tasks: { t: { name: "t", steps: [{ task: { name: "t" } }] } } }, /tasks cannot use tasks/],
    [{ config: {} }, {}, /has neither "uses" nor "task"/],
  ])("errors before any step for a broken pipeline %#", async (step, extra, message) => {
    const state = await run(request([step], extra));
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(message);
  });

  it("retries an erroring step up to retry.errorThreshold", async () => {
    let calls = 0;
    const flaky = defineStep({
      uses: "flaky",
      config: z.object({}),
      async run() {
        calls += 1;
        if (calls < 3) throw new Error(`registry timeout ${calls}`);
        return { phase: "Succeeded", outputs: { calls } };
      },
    });
    const steps = { ...STEPS, flaky };
    const ok = await run(request([{ uses: "flaky", as: "f", retry: { errorThreshold: 3 } }]), { steps });
    expect(ok.phase).toBe("Succeeded");
    expect(byAlias(ok).f?.outputs).toEqual({ calls: 3 });
    calls = 0;
    const gaveUp = await run(request([{ uses: "flaky", as: "f" }]), { steps });
    expect(gaveUp.phase).toBe("Errored");
    expect(gaveUp.message).toBe('step "f" (flaky): registry timeout 1');
  });

  it("pauses on a waiting step, resumes later, and fails it after retry.timeout", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const clock: Clock = { now: () => new Date(now), sleep: async () => {} };
    const waiting = defineStep({ uses: "wait", config: z.object({}), run: async () => ({ phase: "Running", message: "PR still open" }) });
    const store = createMemoryStateStore();
    const req = request([{ uses: "wait", as: "w", retry: { timeout: "10m" } }]);
    const options = { store, clock, steps: { ...STEPS, wait: waiting } };
    expect((await run(req, options)).phase).toBe("Running");
    now += 5 * 60_000;
    expect((await run(req, options)).phase).toBe("Running");
    now += 6 * 60_000;
    const done = await run(req, options);
    expect(done.phase).toBe("Failed");
    expect(done.message).toMatch(/still not done after retry.timeout 10m: PR still open/);
  });

  it("aborts a promotion asked to stop, and does nothing more once aborted", async () => {
    const store = createMemoryStateStore();
    const waiting = defineStep({ uses: "wait", config: z.object({}), run: async () => ({ phase: "Running" }) });
    const req = request([{ uses: "wait", as: "w" }, { uses: "compose-output", as: "after", config: {} }]);
    const options = { store, steps: { ...STEPS, wait: waiting } };
    expect((await run(req, options)).phase).toBe("Running");
    await requestAbort(store, req.id);
    const aborted = await run(req, options);
    expect(aborted.phase).toBe("Aborted");
    expect(byAlias(aborted).after?.phase).toBe("Pending");
    expect((await run(req, options)).phase).toBe("Aborted");
  });

  it("stops at the current step when the abort signal fires", async () => {
    const controller = new AbortController();
    const abortsItself = defineStep({
      uses: "a",
      config: z.object({}),
      async run(_config, env) {
        controller.abort();
        throw env.signal.reason;
      },
    });
    const state = await run(request([{ uses: "a", as: "a" }, { uses: "compose-output", as: "b", config: {} }]), { signal: controller.signal, steps: { ...STEPS, a: abortsItself } });
    expect(state.phase).toBe("Aborted");
    expect(byAlias(state).a?.phase).toBe("Aborted");
  });

  it("resumes at the step it was on after a kill, without a second commit", async () => {
    const repo = remoteRepo();
    const inner = createMemoryStateStore();
    let killed = false;
    // The worker dies right after git-push did its work, before it could record success.
    const dying = {
      get: inner.get,
      put: async (state: PromotionState) => {
        const push = state.steps.find((s) => s.alias === "push");
        if (!killed && push?.phase === "Succeeded") {
          killed = true;
          throw new Error("worker killed");
        }
        await inner.put(state);
      },
    };
    const req = request(promoteSteps);
    await expect(run(req, { store: dying, remotes: { [REPO_URL]: repo.remote } })).rejects.toThrow("worker killed");
    const stored = await inner.get(req.id);
    expect(stored?.currentStep).toBe(3);
    expect(byAlias(stored as PromotionState).push?.phase).toBe("Running");
    const tipAfterKill = git(repo.remote, "rev-parse", "main");

    const resumed = await run(req, { store: inner, remotes: { [REPO_URL]: repo.remote } });
    expect(resumed.phase).toBe("Succeeded");
    expect(git(repo.remote, "rev-parse", "main")).toBe(tipAfterKill);
    expect(repo.log("main")).toHaveLength(2);
    expect(byAlias(resumed).push?.outputs?.commit).toBe(tipAfterKill);
  });

  it("re-runs from the start when the workspace died with the worker, still without a second commit", async () => {
    const repo = remoteRepo();
    const store = createMemoryStateStore();
    const req = request(promoteSteps);
    const first = await run(req, { store, remotes: { [REPO_URL]: repo.remote } });
    const tip = git(repo.remote, "rev-parse", "main");
    // Pretend the worker died at git-push: state says Running there, and its directory is gone.
    const snapshot = first.workspace as { root: string };
    rmSync(snapshot.root, { recursive: true, force: true });
    await store.put({ ...first, phase: "Running", currentStep: 3, steps: first.steps.map((s, i) => (i === 3 ? { ...s, phase: "Running" } : s)), workspace: snapshot });
    const again = await run(req, { store, remotes: { [REPO_URL]: repo.remote } });
    expect(again.phase).toBe("Succeeded");
    expect(git(repo.remote, "rev-parse", "main")).toBe(tip);
    expect(repo.log("main")).toHaveLength(2);
    expect(existsSync(snapshot.root)).toBe(false);
  });
});
