import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { createRemoteRepo, git } from "../support/git-repo.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/promotion/", import.meta.url));
const KARGO = path.join(FIXTURES, "kargo");
const GITOPS_URL = "https://github.com/acme/gitops.git";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function gitopsRemote() {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(FIXTURES, "gitops"), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(path.join(FIXTURES, "gitops"), full)] = readFileSync(full, "utf8");
    }
  }
  const repo = createRemoteRepo(files);
  cleanups.push(repo.cleanup);
  return repo;
}

async function promote(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["promote", ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("stagecoach promote", () => {
  it("runs a Kargo stage (with a PromotionTask) against a mapped local repo and pushes one commit", async () => {
    const repo = gitopsRemote();
    const result = await promote("--config", KARGO, "--stage", "dev", "--image", "ghcr.io/acme/shop:1.4.0", "--map", `${GITOPS_URL}=${repo.remote}`);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Promoting freight [0-9a-f]{12} \(ghcr.io\/acme\/shop:1.4.0\) into stage dev$/m);
    expect(result.out).toMatch(/^ {2}Succeeded {2}bump::values \(yaml-update\) {2}\{"commitMessage":"Updated \.\/src\/env\/dev\/values\.yaml: image\.tag=1\.4\.0"\}$/m);
    expect(result.out).toMatch(/^ {2}Succeeded {2}push \(git-push\) {2}\{"branch":"main","commit":"[0-9a-f]{40}","commitURL":"https:\/\/github.com\/acme\/gitops\/commit\/[0-9a-f]{40}"\}$/m);
    expect(result.out).toMatch(/^Promotion Succeeded$/m);
    expect(repo.read("main", "env/dev/values.yaml")).toBe('# dev values\nimage:\n  repository: ghcr.io/acme/shop\n  tag: "1.4.0"  # set by Stagecoach');
    expect(repo.read("main", "env/dev/kustomization.yaml")).toContain("newTag: 1.4.0");
    expect(repo.log("main")).toEqual(["Updated ./src/env/dev to use image ghcr.io/acme/shop:1.4.0", "seed"]);
  });

  it("leaves skipped steps out and pushes prod to a generated branch, leaving main alone", async () => {
    const repo = gitopsRemote();
    const mainBefore = git(repo.remote, "rev-parse", "main");
    const result = await promote("--config", KARGO, "--stage", "prod", "--image", "ghcr.io/acme/shop:1.4.0", "--map", `${GITOPS_URL}=${repo.remote}`, "--skip", "git-open-pr");
    expect(result.code).toBe(0);
    expect(result.out).toContain("  Skipped    open (git-open-pr) — left out by --skip");
    const branch = /"branch":"(stagecoach\/promotion\/shop\/prod\/[0-9a-f]{12})"/.exec(result.out)?.[1];
    expect(branch).toBeDefined();
    expect(repo.read(branch as string, "env/prod/values.yaml")).toContain('tag: "1.4.0"');
    expect(git(repo.remote, "rev-parse", "main")).toBe(mainBefore);
  });

  it("without --skip, git-open-pr explains how to run locally and the promotion ends Errored", async () => {
    const repo = gitopsRemote();
    const result = await promote("--config", KARGO, "--stage", "prod", "--image", "ghcr.io/acme/shop:1.4.0", "--map", `${GITOPS_URL}=${repo.remote}`);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/Promotion Errored: step "open" \(git-open-pr\): git-open-pr needs a Git host with pull requests \(GitHub\); locally, run with --skip git-open-pr/);
  });

  it("refuses to push into a branch checked out in a non-bare repo and says what to do", async () => {
    const repo = gitopsRemote();
    const work = mkdtempSync(path.join(tmpdir(), "work-"));
    git(work, "clone", "-q", repo.remote, "checkout");
    const result = await promote("--config", KARGO, "--stage", "dev", "--image", "ghcr.io/acme/shop:1.4.0", "--map", `${GITOPS_URL}=${path.join(work, "checkout")}`);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/has branch "main" checked out, so git refuses to push to it; use a bare clone/);
  });

  it.each([
    [["--stage", "dev"], /--config and --stage are required/, 2],
    [["--config", KARGO, "--stage", "staging"], /has no stage "staging"; stages: dev, prod/, 1],
    [["--config", "/nonexistent/kargo", "--stage", "dev"], /--config \/nonexistent\/kargo does not exist/, 1],
    [["--config", KARGO, "--stage", "dev", "--image", "ghcr.io/acme/shop"], /--image ghcr.io\/acme\/shop: write it as REPO:TAG/, 1],
    [["--config", KARGO, "--stage", "dev", "--map", "nonsense"], /--map nonsense: write it as REPO_URL=LOCAL_DIR/, 1],
    [["--config", KARGO, "--stage", "dev", "--bogus"], /Unknown option '--bogus'/, 1],
  ])("refuses bad arguments %#", async (args, message, code) => {
    const result = await promote(...args);
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
  });

  it("names the file and line of a broken manifest", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bad-kargo-"));
    writeFileSync(path.join(dir, "stage.yaml"), "kind: Stage\nmetadata:\n  name: dev\n spec: [\n");
    const result = await promote("--config", dir, "--stage", "dev");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/stage\.yaml:\d+:\d+ is not valid YAML/);
  });
});
