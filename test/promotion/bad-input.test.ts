import { symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PromotionStepSpec } from "../../src/promotion/types.js";
import { createRemoteRepo, git } from "./support/git-repo.js";
import { request, run } from "./support/run-helpers.js";

const REPO_URL = "https://git.example.com/acme/gitops.git";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** clone, <the step under test>, commit, push: a failure in the middle must leave main alone. */
async function promoteWith(step: PromotionStepSpec, files: Record<string, string> = { "app/values.yaml": "tag: old\n" }) {
  const repo = createRemoteRepo(files);
  cleanups.push(repo.cleanup);
  const before = git(repo.remote, "rev-parse", "main");
  const state = await run(
    request([
      { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
      { as: "edit", ...step },
      { uses: "git-commit", config: { path: "./src", message: "edit" } },
      { uses: "git-push", config: { path: "./src" } },
    ]),
    { remotes: { [REPO_URL]: repo.remote } },
  );
  expect(git(repo.remote, "rev-parse", "main")).toBe(before);
  return state;
}

describe("bad input ends the promotion with a message that says what to fix, and no commit", () => {
  it("wrong config types name the field", async () => {
    const state = await promoteWith({ uses: "yaml-update", config: { path: "./src/app/values.yaml", updates: "tag=1" } });
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(/^step "edit" \(yaml-update\): invalid config: config\.updates: .*expected array/i);
  });

  it("a misspelt field is refused by the pipeline schema, naming it", async () => {
    const state = await promoteWith({ uses: "yaml-update", config: { path: "./src/app/values.yaml", update: [{ key: "tag", value: "1" }] } });
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(/^step "edit" \(yaml-update\): invalid config: .*"update"/);
  });

  it("an unknown step name says to check the spelling", async () => {
    const state = await promoteWith({ uses: "yaml-updat", config: {} });
    expect(state.message).toBe('step "edit" (yaml-updat): there is no step called "yaml-updat"; check the spelling of "uses"');
  });

  it("a missing file names the path", async () => {
    const state = await promoteWith({ uses: "yaml-update", config: { path: "./src/app/valuez.yaml", updates: [{ key: "tag", value: "1" }] } });
    expect(state.phase).toBe("Failed");
    expect(state.message).toMatch(/file "\.\/src\/app\/valuez\.yaml" does not exist in the workspace; check the path/);
  });

  it("a missing key path in a mapping-less spot names the key", async () => {
    const state = await promoteWith({ uses: "yaml-update", config: { path: "./src/app/values.yaml", updates: [{ key: "tag.inner", value: "1" }] } });
    expect(state.phase).toBe("Failed");
    expect(state.message).toMatch(/cannot set "tag\.inner": "tag" is not a mapping/);
  });

  it("an expression failing at run time names the step, the field and the position", async () => {
    const state = await promoteWith({ uses: "yaml-update", config: { path: "./src/app/values.yaml", updates: [{ key: "tag", value: "v-${{ vars.tga.x }}" }] } });
    expect(state.phase).toBe("Errored");
    expect(state.message).toBe('step "edit" (yaml-update): config.updates[0].value: cannot read "x" of vars.tga, which is nil (vars has no field "tga"; it is empty); use ?. to read through nil (in "vars.tga.x") at character 16');
  });

  it("an if: expression that does not parse says so", async () => {
    const state = await promoteWith({ uses: "compose-output", if: "${{ success( }}", config: {} });
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(/^step "edit" \(compose-output\): if: cannot parse expression/);
  });

  it.each([
    ["../outside.yaml", /leaves the workspace; remove the "\.\."/],
    ["/etc/passwd", /is an absolute path; write paths relative to the promotion's workspace/],
    ["./src/../../x", /leaves the workspace/],
    ["./src/.git/hooks/pre-commit", /git's own metadata/],
  ])("path traversal %s is refused", async (target, message) => {
    const state = await promoteWith({ uses: "file-write", config: { path: target, contents: "#!/bin/sh\necho pwned\n" } });
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(message);
  });

  it("a symlink in the repo that points outside the workspace is refused", async () => {
    const repo = createRemoteRepo({ "README.md": "x" });
    cleanups.push(repo.cleanup);
    const seed = path.join(path.dirname(repo.remote), "seed");
    symlinkSync("/etc", path.join(seed, "escape"));
    git(seed, "add", "-A");
    git(seed, "commit", "-q", "-m", "link");
    git(seed, "push", "-q", repo.remote, "HEAD:refs/heads/main");
    const state = await run(
      request([
        { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
        { uses: "yaml-parse", as: "read", config: { path: "./src/escape/hostname", outputs: [{ name: "h", fromExpression: "value" }] } },
      ]),
      { remotes: { [REPO_URL]: repo.remote } },
    );
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(/"\.\/src\/escape\/hostname" goes through a symbolic link that points outside the workspace/);
  });

  it("a branch that does not exist says how to create it", async () => {
    const repo = createRemoteRepo({ "a.txt": "a" });
    cleanups.push(repo.cleanup);
    const state = await run(request([{ uses: "git-clone", as: "c", config: { repoURL: REPO_URL, checkout: [{ branch: "stage/prod", path: "./out" }] } }]), { remotes: { [REPO_URL]: repo.remote } });
    expect(state.phase).toBe("Failed");
    expect(state.message).toMatch(/branch "stage\/prod" does not exist in https:\/\/git.example.com\/acme\/gitops.git; set create: true/);
  });
});
