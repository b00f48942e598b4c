import { afterEach, describe, expect, it } from "vitest";
import { createRemoteRepo, git } from "../support/git-repo.js";
import { request, run } from "../support/run-helpers.js";

const REPO_URL = "https://git.example.com/acme/gitops.git";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function remote() {
  const repo = createRemoteRepo({ "env/prod/app.yaml": "kind: ConfigMap\n", "README.md": "src\n" });
  cleanups.push(repo.cleanup);
  return repo;
}

describe("git steps on real repositories", () => {
  it("renders into a new orphan branch with git-clear, then a second run changes nothing", async () => {
    const repo = remote();
    const pipeline = request([
      { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }, { branch: "stage/prod", create: true, path: "./out" }] } },
      { uses: "git-clear", config: { path: "./out" } },
      { uses: "copy", config: { inPath: "./src/env/prod", outPath: "./out" } },
      { uses: "git-commit", as: "commit", config: { path: "./out", message: "render prod" } },
      { uses: "git-push", as: "push", config: { path: "./out" } },
    ]);
    const first = await run(pipeline, { remotes: { [REPO_URL]: repo.remote } });
    expect(first.message).toBeUndefined();
    expect(git(repo.remote, "ls-tree", "-r", "--name-only", "stage/prod")).toBe("app.yaml");
    expect(repo.log("stage/prod")).toEqual(["render prod"]);

    const second = await run({ ...pipeline, id: "again" }, { remotes: { [REPO_URL]: repo.remote } });
    expect(second.phase).toBe("Succeeded");
    expect(second.steps.find((s) => s.alias === "commit")?.outputs).toEqual({ commit: "", changed: false });
    expect(repo.log("stage/prod")).toEqual(["render prod"]);
  });

  it("tags and pushes the tag; the same tag elsewhere is refused", async () => {
    const repo = remote();
    const tagging = (tag: string, edit: boolean) =>
      request([
        { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
        ...(edit ? [{ uses: "file-write", config: { path: "./src/VERSION", contents: tag } }, { uses: "git-commit", config: { path: "./src", message: tag } }] : []),
        { uses: "git-tag", as: "tag", config: { path: "./src", tag } },
        { uses: "git-push", as: "push", config: { path: "./src", tag } },
      ]);
    const tagged = await run(tagging("v1.0.0", false), { remotes: { [REPO_URL]: repo.remote } });
    expect(tagged.message).toBeUndefined();
    expect(git(repo.remote, "rev-parse", "v1.0.0")).toBe(git(repo.remote, "rev-parse", "main"));
    const clash = await run({ ...tagging("v1.0.0", true), id: "clash" }, { remotes: { [REPO_URL]: repo.remote } });
    expect(clash.phase).toBe("Failed");
    expect(clash.message).toMatch(/tag "v1.0.0" already exists on .* at another commit; pick a new tag/);
  });

  it("refuses a tag name git would misread", async () => {
    const repo = remote();
    const state = await run(
      request([
        { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
        { uses: "git-tag", config: { path: "./src", tag: "--force" } },
      ]),
      { remotes: { [REPO_URL]: repo.remote } },
    );
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(/tag "--force" starts with "-", which git would read as an option/);
  });

  it.each([
    [{ commit: "--upload-pack=touch /tmp/pwned" }, /commit "--upload-pack=touch \/tmp\/pwned" starts with "-"/],
    [{ branch: "--upload-pack=x" }, /branch "--upload-pack=x" starts with "-"/],
  ])("refuses checkout values git would run as options %#", async (checkout, message) => {
    const repo = remote();
    const state = await run(request([{ uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ path: "./src", ...checkout }] } }]), { remotes: { [REPO_URL]: repo.remote } });
    expect(state.phase).toBe("Errored");
    expect(state.message).toMatch(message);
  });

  it("replays the commit when the branch moved between clone and push", async () => {
    const repo = remote();
    const seed = `${repo.remote.replace(/remote\.git$/, "seed")}`;
    const state = await run(
      request([
        { uses: "git-clone", config: { repoURL: REPO_URL, checkout: [{ branch: "main", path: "./src" }] } },
        { uses: "file-write", config: { path: "./src/env/prod/app.yaml", contents: "kind: ConfigMap\ndata: {a: b}\n" } },
        { uses: "git-commit", config: { path: "./src", message: "ours" } },
        { uses: "http", if: "${{ false }}", config: { url: "https://example.com" } },
        { uses: "git-push", as: "push", config: { path: "./src" } },
      ]),
      {
        remotes: { [REPO_URL]: repo.remote },
        onStep: (record) => {
          if (record.uses === "git-commit") {
            git(seed, "commit", "-q", "--allow-empty", "-m", "theirs");
            git(seed, "push", "-q", repo.remote, "HEAD:refs/heads/main");
          }
        },
      },
    );
    expect(state.message).toBeUndefined();
    expect(repo.log("main")).toEqual(["ours", "theirs", "seed"]);
  });
});
