import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { GitSubscriptionSchema, type GitSubscription } from "../../../src/config/model/warehouse.js";
import { discoverGitCommits } from "../../../src/warehouse/git/index.js";
import { DiscoveryError } from "../../../src/warehouse/types.js";
import { startClockedSandbox, type ClockedSandbox, writeTags } from "./git-fixtures.js";

describe("git discovery through the GitHub API (sandbox)", () => {
  let s: ClockedSandbox;
  let octokit: Octokit;
  let host: string;
  let repoURL: string;
  const shas: Record<string, string> = {};

  const subscription = (fields: Partial<GitSubscription> = {}) => GitSubscriptionSchema.parse({ repoURL, ...fields });
  const discover = (fields: Partial<GitSubscription> = {}) => discoverGitCommits(subscription(fields), { github: { client: octokit, host } });
  const calls = () => Object.values(s.t.sandbox.stats()).reduce((sum, e) => sum + e.calls, 0);

  beforeEach(async () => {
    s = await startClockedSandbox();
    const { sandbox } = s.t;
    await sandbox.createRepo("acme", "app", { files: { "README.md": "app\n" } });
    shas.initial = (await sandbox.branchSha("acme", "app", "main"))!;
    const push = async (name: string, files: Record<string, string>, message: string) => {
      s.advance(10);
      shas[name] = await sandbox.pushCommit({ owner: "acme", repo: "app", branch: "main", files, message, author: "alice" });
    };
    await push("chart", { "charts/app/values.yaml": "replicas: 2\n" }, "Scale the app to two replicas\n\nLonger explanation that is not the subject.");
    await push("docs", { "docs/guide.md": "# Guide\n" }, "Write the guide");
    await push("dotfile", { "charts/app/.helmignore": "*.tmp\n" }, "Ignore temp files in the chart");
    await push("values", { "env/prod/values.yaml": "tag: 1\n", "docs/prod.md": "prod\n" }, "Promote prod");
    const installation = await sandbox.installApp(s.t.app.id, "acme", ["app"]);
    octokit = await s.t.installationOctokit(installation);
    host = new URL(sandbox.url).host;
    repoURL = `${sandbox.url}/acme/app.git`;
  });
  afterEach(async () => {
    await s.t.close();
  });

  it("lists the default branch newest first with Kargo's fields, in two calls", async () => {
    s.t.sandbox.resetStats();
    const commits = await discover({ discoveryLimit: 3 });
    expect(commits.map((c) => c.id)).toEqual([shas.values, shas.dotfile, shas.docs]);
    expect(commits[0]).toEqual({
      repoURL,
      id: shas.values,
      branch: "main",
      message: "Promote prod",
      author: expect.stringMatching(/^alice <.+@users\.noreply\.sandbox>$/),
      committer: expect.stringMatching(/^alice </),
      createdAt: s.at(40),
    });
    expect(commits[2]?.createdAt).toBe(s.at(20));
    expect(calls()).toBe(2);
  });

  it("keeps only the first line of a message", async () => {
    const commits = await discover({ discoveryLimit: 4 });
    expect(commits.find((c) => c.id === shas.chart)?.message).toBe("Scale the app to two replicas");
  });

  it("follows a named branch", async () => {
    await octokit.rest.git.createRef({ owner: "acme", repo: "app", ref: "refs/heads/release", sha: shas.docs! });
    const commits = await discover({ branch: "release" });
    expect(commits.map((c) => c.id)).toEqual([shas.docs, shas.chart, shas.initial]);
    expect(commits.every((c) => c.branch === "release")).toBe(true);
  });

  it("applies includePaths and excludePaths (plain, glob:, regex:) to what each commit changed, and remembers files it read", async () => {
    expect((await discover({ includePaths: ["charts/app"] })).map((c) => c.id)).toEqual([shas.dotfile, shas.chart]);
    expect((await discover({ includePaths: ["glob:charts/*/.helmignore"] })).map((c) => c.id)).toEqual([shas.dotfile]);
    expect((await discover({ includePaths: ["glob:**/*.yaml"] })).map((c) => c.id)).toEqual([shas.values, shas.chart]);
    expect((await discover({ includePaths: ["regex:^env/[^/]+/values\\.yaml$"] })).map((c) => c.id)).toEqual([shas.values]);
    // A commit qualifies when one changed path is included and not excluded: "values" also changed env/prod/values.yaml.
    expect((await discover({ excludePaths: ["docs"] })).map((c) => c.id)).toEqual([shas.values, shas.dotfile, shas.chart, shas.initial]);
    expect((await discover({ includePaths: ["docs"], excludePaths: ["docs/prod.md"] })).map((c) => c.id)).toEqual([shas.docs]);

    s.t.sandbox.resetStats();
    await discover({ includePaths: ["charts"] });
    // Every commit's files were read before: only the repository and one page of history are asked for.
    expect(calls()).toBe(2);
  });

  it("selects tags by SemVer (strict by default), with constraint and allow/ignore regexes", async () => {
    const tags = [
      ["v1.0.0", shas.chart],
      ["v1.2.0", shas.docs],
      ["v2.0.0-rc.1", shas.dotfile],
      ["1.3", shas.values],
      ["nightly", shas.values],
      ["v1.2.1-ignored", shas.values],
    ] as const;
    for (const [name, sha] of tags) await octokit.rest.git.createRef({ owner: "acme", repo: "app", ref: `refs/tags/${name}`, sha: sha! });

    const strict = await discover({ commitSelectionStrategy: "SemVer" });
    expect(strict.map((c) => c.tag)).toEqual(["v2.0.0-rc.1", "v1.2.1-ignored", "v1.2.0", "v1.0.0"]);
    expect(strict[0]).toMatchObject({ id: shas.dotfile, message: "Ignore temp files in the chart", createdAt: s.at(30) });
    expect(strict[0]?.branch).toBeUndefined();

    const ranged = await discover({ commitSelectionStrategy: "SemVer", semverConstraint: "^1.0.0", strictSemvers: false, ignoreTagsRegexes: ["ignored$"] });
    expect(ranged.map((c) => [c.tag, c.id])).toEqual([
      ["1.3", shas.values],
      ["v1.2.0", shas.docs],
      ["v1.0.0", shas.chart],
    ]);

    const allowed = await discover({ commitSelectionStrategy: "SemVer", allowTagsRegexes: ["^v1\\."], discoveryLimit: 1 });
    expect(allowed.map((c) => c.tag)).toEqual(["v1.2.1-ignored"]);

    const withPaths = await discover({ commitSelectionStrategy: "SemVer", includePaths: ["charts/"] });
    expect(withPaths.map((c) => c.tag)).toEqual(["v2.0.0-rc.1", "v1.0.0"]);
  });

  it("selects tags lexically and by newest commit date (NewestTag)", async () => {
    // Names and dates disagree on purpose: the 2026 tag names the oldest commit.
    for (const [name, sha] of [
      ["build-2026", shas.chart],
      ["build-2024", shas.values],
      ["build-2025", shas.docs],
      ["other", shas.dotfile],
    ] as const) {
      await octokit.rest.git.createRef({ owner: "acme", repo: "app", ref: `refs/tags/${name}`, sha: sha! });
    }
    const lexical = await discover({ commitSelectionStrategy: "Lexical", allowTagsRegexes: ["^build-"] });
    expect(lexical.map((c) => c.tag)).toEqual(["build-2026", "build-2025", "build-2024"]);

    const newest = await discover({ commitSelectionStrategy: "NewestTag", allowTagsRegexes: ["^build-"] });
    expect(newest.map((c) => [c.tag, c.createdAt])).toEqual([
      ["build-2024", s.at(40)],
      ["build-2025", s.at(20)],
      ["build-2026", s.at(10)],
    ]);
  });

  it("finds nothing in a repository with no tags, or with no commits", async () => {
    expect(await discover({ commitSelectionStrategy: "SemVer" })).toEqual([]);
    expect(await discover({ commitSelectionStrategy: "NewestTag" })).toEqual([]);
    await s.t.sandbox.createRepo("acme", "empty");
    const installation = await s.t.sandbox.installApp(s.t.app.id, "acme", "all");
    octokit = await s.t.installationOctokit(installation);
    repoURL = `${s.t.sandbox.url}/acme/empty`;
    expect(await discover()).toEqual([]);
    expect(await discover({ commitSelectionStrategy: "Lexical" })).toEqual([]);
  });

  it("says the App is not installed on a repository it cannot see, and that a branch does not exist", async () => {
    await s.t.sandbox.createRepo("acme", "hidden", { files: { a: "a" } });
    repoURL = `https://${host}/acme/hidden`;
    const hidden = await discover().catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(DiscoveryError);
    expect(hidden).toMatchObject({ retryable: false, message: expect.stringContaining(`git ${repoURL}: GitHub answers 404 for acme/hidden`) });
    expect((hidden as Error).message).toContain("add the repository to the App's installation");

    repoURL = `${s.t.sandbox.url}/acme/app`;
    await expect(discover({ branch: "nope" })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`git ${repoURL}.branch: the branch "nope" does not exist`) });
  });

  it("reports GitHub failing as retryable", async () => {
    s.t.sandbox.failNext({ path: "/repos/{owner}/{repo}/commits", status: 502 });
    await expect(discover({ branch: "main" })).rejects.toMatchObject({ name: "DiscoveryError", retryable: true, message: expect.stringContaining("discovery will retry") });
  });

  it("rejects bad regexes and a constraint that is not semver before calling GitHub", async () => {
    s.t.sandbox.resetStats();
    await expect(discover({ includePaths: ["regex:(unclosed"] })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`git ${repoURL}.includePaths[0]: "regex:(unclosed" is not a regular expression`) });
    await expect(discover({ excludePaths: ["ok", "glob:"] })).rejects.toThrow(`git ${repoURL}.excludePaths[1]: "glob:" has no pattern`);
    await expect(discover({ commitSelectionStrategy: "Lexical", allowTagsRegexes: ["[z-a]"] })).rejects.toThrow(`git ${repoURL}.allowTagsRegexes[0]`);
    await expect(discover({ commitSelectionStrategy: "SemVer", semverConstraint: "latest please" })).rejects.toThrow(`git ${repoURL}.semverConstraint: "latest please" is not a semver constraint`);
    expect(calls()).toBe(0);
  });

  it("picks from 10,000 tags with a few calls, and refuses to date that many for NewestTag", async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `v${Math.floor(i / 100)}.${i % 100}.0`);
    await writeTags(s.t, "acme", "app", names.map((name) => ({ name, sha: shas.docs! })));
    s.t.sandbox.resetStats();
    const started = Date.now();
    const top = await discover({ commitSelectionStrategy: "SemVer", semverConstraint: "<50", discoveryLimit: 3 });
    expect(top.map((c) => c.tag)).toEqual(["v49.99.0", "v49.98.0", "v49.97.0"]);
    expect(top[0]?.id).toBe(shas.docs);
    expect(Date.now() - started).toBeLessThan(10_000);
    // One listing and one commit read (the three tags name the same commit).
    expect(calls()).toBeLessThanOrEqual(4);

    await expect(discover({ commitSelectionStrategy: "NewestTag" })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("10000 tags qualify, more than the 1000 read through GitHub's API per discovery; narrow them with allowTagsRegexes"),
    });
    const narrowed = await discover({ commitSelectionStrategy: "NewestTag", allowTagsRegexes: ["^v7\\.1\\d\\.0$"], discoveryLimit: 2 });
    expect(narrowed).toHaveLength(2);
    expect(narrowed.every((c) => c.id === shas.docs && /^v7\.1\d\.0$/.test(c.tag ?? ""))).toBe(true);
  }, 60_000);
});
