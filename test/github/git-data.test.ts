import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBlob, createCommit, createRef, createTree, getBlob, getBranchHead, getCommitTree, getRefCommit, getTree, updateRef } from "../../src/github/git-data.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
let sb: PromotionSandbox;
beforeEach(async () => {
  sb = await startPromotionSandbox({ "a/one.yaml": "one: 1\n", "b.txt": "bee\n" });
});
afterEach(() => sb.close());

describe("git-data", () => {
  it("reads a branch's tip and tree in one call, the recursive tree, and blobs", async () => {
    const head = await getBranchHead(sb.octokit, repo, "main");
    expect(head?.commit).toBe(await sb.test.sandbox.branchSha("acme", "gitops", "main"));
    expect(await getCommitTree(sb.octokit, repo, head?.commit as string)).toBe(head?.tree);
    const tree = await getTree(sb.octokit, repo, head?.tree as string);
    expect(tree.sha).toBe(head?.tree);
    expect(tree.entries.filter((e) => e.type === "blob").map((e) => e.path)).toEqual(["a/one.yaml", "b.txt"]);
    const blob = tree.entries.find((e) => e.path === "b.txt");
    expect((await getBlob(sb.octokit, repo, blob?.sha as string)).toString()).toBe("bee\n");
  });

  it("answers undefined for a branch or ref that does not exist", async () => {
    expect(await getBranchHead(sb.octokit, repo, "nope")).toBeUndefined();
    expect(await getRefCommit(sb.octokit, repo, "heads/nope")).toBeUndefined();
  });

  it("writes text inline and binary as a blob, then a commit, then moves or creates refs", async () => {
    const head = (await getBranchHead(sb.octokit, repo, "main")) as { commit: string; tree: string };
    const binary = Buffer.from([0, 255, 1, 254]);
    const blobSha = await createBlob(sb.octokit, repo, binary);
    const tree = await createTree(sb.octokit, repo, head.tree, [
      { path: "a/one.yaml", mode: "100644", content: "one: 2\n" },
      { path: "bin/data", mode: "100644", sha: blobSha },
      { path: "b.txt", mode: "100644", sha: null },
    ]);
    const commit = await createCommit(sb.octokit, repo, { message: "edit", tree, parents: [head.commit] });
    expect(await updateRef(sb.octokit, repo, "heads/main", commit.sha)).toBe("updated");
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "a/one.yaml")).toBe("one: 2\n");
    expect(await sb.test.sandbox.readFile("acme", "gitops", "main", "b.txt")).toBeUndefined();
    expect((await getBlob(sb.octokit, repo, blobSha)).equals(binary)).toBe(true);

    expect(await updateRef(sb.octokit, repo, "heads/main", head.commit)).toBe("not-fast-forward");
    expect(await updateRef(sb.octokit, repo, "heads/feature", commit.sha)).toBe("missing");
    expect(await createRef(sb.octokit, repo, "heads/feature", commit.sha)).toBe(true);
    expect(await createRef(sb.octokit, repo, "heads/feature", commit.sha)).toBe(false);
    expect(await getRefCommit(sb.octokit, repo, "heads/feature")).toBe(commit.sha);
  });

  it("passes other errors through with GitHub's status", async () => {
    await expect(createTree(sb.octokit, repo, "0".repeat(40), [{ path: "x", mode: "100644", content: "x" }])).rejects.toMatchObject({ status: 422 });
    await expect(getBlob(sb.octokit, repo, "f".repeat(40))).rejects.toMatchObject({ status: 404 });
  });
});
