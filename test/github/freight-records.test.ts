import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeFreightId } from "../../src/freight/compute-freight-id.js";
import { findFreight, freightRef, listFreight, recordFreight } from "../../src/github/freight-records.js";
import { createCommit, createTree, getRefCommit, updateRef } from "../../src/github/git-data.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
const origin = { kind: "Warehouse", name: "app" };
const image = (tag: string, digest = `sha256:${tag.replace(/\D/g, "").padEnd(64, "0")}`) => ({ repoURL: "ghcr.io/acme/app", tag, digest });

let sb: PromotionSandbox;
beforeEach(async () => {
  sb = await startPromotionSandbox({ "README.md": "gitops\n" });
});
afterEach(() => sb.close());

describe("freight records on GitHub", () => {
  it("records freight as a commit on refs/stagecoach/freight/<project> and lists it back, newest first", async () => {
    const first = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    const second = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.1.0")], createdAt: "2026-11-22T11:00:00.000Z" });
    expect(first.created).toBe(true);
    expect(first.freight.name).toBe(computeFreightId(origin, { images: [image("1.0.0")] }));
    expect(first.freight.alias).toMatch(/^[a-z]+-[a-z]+$/);
    expect(second.freight.alias).not.toBe(first.freight.alias);

    const listed = await listFreight(sb.octokit, repo, "guestbook");
    expect(listed.map((f) => f.images?.[0]?.tag)).toEqual(["1.1.0", "1.0.0"]);
    expect(listed[0]).toEqual(second.freight);
    expect(listed[1]?.commit).toBe(first.freight.commit);
    // The tip of the ref is the newest freight commit; the branch is untouched.
    const { data } = await sb.octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref: freightRef("guestbook") });
    expect(data.object.sha).toBe(second.freight.commit);
    expect((await sb.octokit.request("GET /repos/{owner}/{repo}/commits", { ...repo })).data).toHaveLength(1);
  });

  it("keeps one freight when the same artifacts are discovered twice", async () => {
    const a = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    const b = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-22T12:00:00.000Z" });
    expect(b).toEqual({ freight: a.freight, created: false });
    expect(await listFreight(sb.octokit, repo, "guestbook")).toHaveLength(1);
  });

  it("records concurrent discoveries without losing one or recording one twice", async () => {
    const inputs = ["1.0.0", "1.1.0", "1.2.0", "1.1.0", "1.0.0"].map((tag) => ({ origin, images: [image(tag)], createdAt: "2026-11-22T10:00:00.000Z" }));
    const results = await Promise.all(inputs.map((input) => recordFreight(sb.octokit, repo, "guestbook", input)));
    const listed = await listFreight(sb.octokit, repo, "guestbook");
    expect(listed.map((f) => f.images?.[0]?.tag).sort()).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
    expect(new Set(listed.map((f) => f.alias)).size).toBe(3);
    expect(results.filter((r) => r.created)).toHaveLength(3);
  });

  it("keeps projects apart and carries check runs on a freight commit", async () => {
    const { freight } = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("2.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    expect(await listFreight(sb.octokit, repo, "other project")).toEqual([]);
    await sb.octokit.request("POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "stagecoach/verify dev", head_sha: freight.commit!, status: "completed", conclusion: "success" });
    const { data } = await sb.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: freight.commit! });
    expect(data.check_runs.map((r) => r.name)).toEqual(["stagecoach/verify dev"]);
  });

  it("finds freight by alias or an unambiguous ID prefix", async () => {
    const { freight } = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("3.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    const all = await listFreight(sb.octokit, repo, "guestbook");
    expect(findFreight(all, freight.alias)?.name).toBe(freight.name);
    expect(findFreight(all, freight.name.slice(0, 8))?.name).toBe(freight.name);
    expect(findFreight(all, freight.name.slice(0, 3))).toBeUndefined();
    expect(findFreight(all, "no-such-alias")).toBeUndefined();
  });
});

describe("freight on the ref that the App cannot trust", () => {
  /** Appends a commit with `message` to the freight ref, as anyone able to push to the repository could. */
  async function push(message: string): Promise<void> {
    const ref = freightRef("guestbook");
    const tip = await getRefCommit(sb.octokit, repo, ref);
    const tree = await createTree(sb.octokit, repo, undefined, [{ path: "freight.json", mode: "100644", content: "{}\n" }]);
    const commit = await createCommit(sb.octokit, repo, { message, tree, parents: tip ? [tip] : [] });
    expect(await updateRef(sb.octokit, repo, ref, commit.sha)).toBe("updated");
  }

  it("passes over commits that are no freight, records that are not their artifacts, and a second record of a freight", async () => {
    const { freight } = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    const { commit: _commit, ...record } = freight;
    await push("Pushed by hand\n\nnothing to see");
    await push(`Freight\n\nStagecoach-Freight: {"name":`);
    // Claims the recorded freight's ID for other artifacts: it would borrow that freight's verifications.
    await push(`Freight\n\nStagecoach-Freight: ${JSON.stringify({ ...record, images: [image("6.6.6")] })}`);
    // The same freight again, newer: its commit carries none of the check runs of the first.
    await push(`Freight\n\nStagecoach-Freight: ${JSON.stringify({ ...record, alias: "sly-fox" })}`);
    expect(await listFreight(sb.octokit, repo, "guestbook")).toEqual([freight]);
  });
});
