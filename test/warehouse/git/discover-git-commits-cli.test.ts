import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GitSubscriptionSchema, type GitSubscription } from "../../../src/config/model/warehouse.js";
import { discoverGitCommits, type DiscoverGitCommitsOptions } from "../../../src/warehouse/git/index.js";
import type { RepositoryCredential } from "../../../src/warehouse/types.js";
import { pushTags, startClockedSandbox, writeTags, type ClockedSandbox } from "./git-fixtures.js";

describe("git discovery through the git CLI (sandbox's smart HTTP)", () => {
  let s: ClockedSandbox;
  let repoURL: string;
  let scratch: string;
  const shas: Record<string, string> = {};
  const allowLoopback = { allowedPrivateHosts: ["127.0.0.1"] };
  const originalTmp = process.env.TMPDIR;

  const discover = (fields: Partial<GitSubscription> = {}, options: DiscoverGitCommitsOptions = { network: allowLoopback }) =>
    discoverGitCommits(GitSubscriptionSchema.parse({ repoURL, ...fields }), options);
  const leftoverDirs = () => readdirSync(scratch).filter((name) => name.startsWith("stagecoach-git-"));

  beforeAll(() => {
    // A private TMPDIR, so the test can see that discovery leaves no directory behind.
    scratch = mkdtempSync(join(tmpdir(), "stagecoach-git-cli-test-"));
    process.env.TMPDIR = scratch;
  });
  afterAll(() => {
    process.env.TMPDIR = originalTmp;
    rmSync(scratch, { recursive: true, force: true });
  });

  beforeEach(async () => {
    s = await startClockedSandbox();
    const { sandbox } = s.t;
    await sandbox.createRepo("acme", "app", { files: { "README.md": "app\n" } });
    shas.initial = (await sandbox.branchSha("acme", "app", "main"))!;
    const push = async (name: string, files: Record<string, string>, message: string) => {
      s.advance(10);
      shas[name] = await sandbox.pushCommit({ owner: "acme", repo: "app", branch: "main", files, message, author: "alice" });
    };
    await push("chart", { "charts/app/values.yaml": "replicas: 2\n" }, "Scale the app to two replicas\n\nLonger explanation.");
    await push("docs", { "docs/guide.md": "# Guide\n" }, "Write the guide");
    await push("dotfile", { "charts/app/.helmignore": "*.tmp\n" }, "Ignore temp files in the chart");
    await push("values", { "env/prod/values.yaml": "tag: 1\n", "docs/prod.md": "prod\n" }, "Promote prod");
    repoURL = sandbox.gitUrl("acme", "app");
  });
  afterEach(async () => {
    await s.t.close();
    expect(leftoverDirs()).toEqual([]);
  });

  it("lists the default branch newest first with Kargo's fields, leaving no temp directory", async () => {
    const commits = await discover({ discoveryLimit: 4 });
    expect(commits.map((c) => c.id)).toEqual([shas.values, shas.dotfile, shas.docs, shas.chart]);
    expect(commits[3]).toEqual({
      repoURL,
      id: shas.chart,
      branch: "main",
      message: "Scale the app to two replicas",
      author: expect.stringMatching(/^alice <.+@users\.noreply\.sandbox>$/),
      committer: expect.stringMatching(/^alice </),
      createdAt: s.at(10),
    });
    expect(leftoverDirs()).toEqual([]);
  });

  it("applies includePaths and excludePaths to first-parent diffs, deepening history as needed", async () => {
    expect((await discover({ includePaths: ["charts/app"] })).map((c) => c.id)).toEqual([shas.dotfile, shas.chart]);
    expect((await discover({ includePaths: ["glob:charts/*/.helmignore"] })).map((c) => c.id)).toEqual([shas.dotfile]);
    expect((await discover({ includePaths: ["regexp:values\\.yaml$"], discoveryLimit: 1 })).map((c) => c.id)).toEqual([shas.values]);
    expect((await discover({ excludePaths: ["docs"] })).map((c) => c.id)).toEqual([shas.values, shas.dotfile, shas.chart, shas.initial]);
    // The root commit counts every file it added.
    expect((await discover({ includePaths: ["README.md"] })).map((c) => c.id)).toEqual([shas.initial]);

    for (let i = 0; i < 30; i++) {
      s.advance(1);
      await s.t.sandbox.pushCommit({ owner: "acme", repo: "app", branch: "main", files: { [`noise/${i}.txt`]: `${i}\n` }, message: `noise ${i}`, author: "bob" });
    }
    // The chart commits are now 30+ commits deep: found all the same.
    expect((await discover({ includePaths: ["charts"] })).map((c) => c.id)).toEqual([shas.dotfile, shas.chart]);
  });

  it("follows a named branch and says when it does not exist", async () => {
    await s.t.sandbox.pushCommit({ owner: "acme", repo: "app", branch: "release", files: { "r.txt": "r\n" }, message: "Release branch", author: "alice" });
    const release = await discover({ branch: "release", discoveryLimit: 2 });
    expect(release.map((c) => [c.branch, c.message])).toEqual([
      ["release", "Release branch"],
      ["release", "Promote prod"],
    ]);
    await expect(discover({ branch: "nope" })).rejects.toMatchObject({ retryable: false, message: `git ${repoURL}.branch: the branch "nope" does not exist in ${repoURL}; fix the branch name or leave it out to follow the default branch` });
  });

  it("peels annotated tags, dates them by their tagger, and ranks SemVer, Lexical and NewestTag", async () => {
    await pushTags(s.t, "acme", "app", [
      { name: "v1.0.0", sha: shas.chart! },
      { name: "v1.1.0", sha: shas.docs!, annotatedAt: "2030-01-01T00:00:00Z" },
      { name: "v2.0.0", sha: shas.values!, annotatedAt: "2029-06-01T12:00:00+02:00" },
      { name: "not-a-version", sha: shas.dotfile! },
    ]);
    const semver = await discover({ commitSelectionStrategy: "SemVer", semverConstraint: ">=1.0.0, <2.0.0" });
    expect(semver.map((c) => [c.tag, c.id, c.createdAt])).toEqual([
      ["v1.1.0", shas.docs, "2030-01-01T00:00:00Z"],
      ["v1.0.0", shas.chart, s.at(10)],
    ]);
    expect(semver[0]).toMatchObject({ message: "Write the guide", author: expect.stringMatching(/^alice </) });

    const lexical = await discover({ commitSelectionStrategy: "Lexical", ignoreTagsRegexes: ["^v2"] });
    expect(lexical.map((c) => c.tag)).toEqual(["v1.1.0", "v1.0.0", "not-a-version"]);

    const newest = await discover({ commitSelectionStrategy: "NewestTag" });
    expect(newest.map((c) => [c.tag, c.createdAt])).toEqual([
      ["v1.1.0", "2030-01-01T00:00:00Z"],
      ["v2.0.0", "2029-06-01T10:00:00Z"],
      ["not-a-version", s.at(30)],
      ["v1.0.0", s.at(10)],
    ]);

    const charted = await discover({ commitSelectionStrategy: "NewestTag", includePaths: ["charts"] });
    expect(charted.map((c) => c.tag)).toEqual(["not-a-version", "v1.0.0"]);
  });

  it("finds nothing without tags or commits", async () => {
    expect(await discover({ commitSelectionStrategy: "SemVer" })).toEqual([]);
    expect(await discover({ commitSelectionStrategy: "NewestTag" })).toEqual([]);
    await s.t.sandbox.createRepo("acme", "empty");
    repoURL = s.t.sandbox.gitUrl("acme", "empty");
    expect(await discover()).toEqual([]);
    expect(await discover({ branch: "main" })).toEqual([]);
    expect(await discover({ commitSelectionStrategy: "Lexical" })).toEqual([]);
  });

  it("reads a private repository with credentials from the lookup, and says which credential to fix", async () => {
    await s.t.sandbox.createRepo("acme", "secret", { private: true, files: { "a.txt": "a\n" } });
    repoURL = s.t.sandbox.gitUrl("acme", "secret");
    const { token } = s.t.sandbox.createUser("acme");
    const withCredential = (credential: RepositoryCredential) => ({ network: allowLoopback, credentials: (url: string) => (url === repoURL ? credential : undefined) });

    // Like GitHub's API, the sandbox answers 404 for a private repository to an anonymous caller.
    await expect(discover()).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`no repository at ${repoURL} (404)`) });
    await expect(discover()).rejects.toThrow(`if the repository is private add an entry for ${repoURL} to STAGECOACH_CREDENTIALS`);

    const wrong = await discover({}, withCredential({ username: "acme", password: "ghu_wrong-secret" })).catch((e: Error) => e);
    expect(wrong).toMatchObject({ retryable: false, message: expect.stringContaining("refused the credentials for this repository (401)") });
    expect((wrong as Error).message).not.toContain("ghu_wrong-secret");

    const byPassword = await discover({}, withCredential({ username: "acme", password: token }));
    expect(byPassword.map((c) => c.message)).toEqual(["Initial commit"]);
    const byToken = await discover({}, withCredential({ token }));
    expect(byToken.map((c) => c.id)).toEqual(byPassword.map((c) => c.id));
  });

  it("never puts the credential in git's command line", async () => {
    await s.t.sandbox.createRepo("acme", "secret", { private: true, files: { "a.txt": "a\n" } });
    repoURL = s.t.sandbox.gitUrl("acme", "secret");
    const { token } = s.t.sandbox.createUser("acme");
    // A git on PATH that records its arguments and hands over to the real one.
    const realGit = (await promisify(execFile)("sh", ["-c", "command -v git"])).stdout.trim();
    const wrapper = mkdtempSync(join(tmpdir(), "stagecoach-test-wrapper-"));
    const log = join(wrapper, "argv.log");
    writeFileSync(join(wrapper, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${wrapper}:${path}`;
    try {
      const found = await discover({ includePaths: ["a.txt"] }, { network: allowLoopback, credentials: () => ({ username: "acme", password: token }) });
      expect(found).toHaveLength(1);
    } finally {
      process.env.PATH = path;
    }
    const argv = readFileSync(log, "utf8");
    rmSync(wrapper, { recursive: true, force: true });
    expect(argv).toContain("ls-remote");
    expect(argv).toContain("fetch");
    expect(argv).not.toContain(token);
    expect(argv).not.toContain(Buffer.from(`acme:${token}`).toString("base64"));
  });

  it("says a repository does not exist (404)", async () => {
    repoURL = s.t.sandbox.gitUrl("acme", "missing");
    await expect(discover()).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`no repository at ${repoURL} (404)`) });
  });

  it("refuses loopback hosts unless the network policy allows them, by literal and by DNS answer", async () => {
    await expect(discover({}, {})).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining(`git ${repoURL}: 127.0.0.1 is or resolves to a non-public address (127.0.0.1: loopback)`),
    });
    const port = new URL(repoURL).port;
    repoURL = repoURL.replace("127.0.0.1", "localhost");
    await expect(discover({}, {})).rejects.toThrow(`set STAGECOACH_ALLOW_PRIVATE_REGISTRIES=localhost:${port} to allow this host`);
    expect(await discover({ discoveryLimit: 1 }, { network: { allowedPrivateHosts: [`localhost:${port}`] } })).toHaveLength(1);
    expect(await discover({ discoveryLimit: 1 }, { network: { allowPrivateNetworks: true } })).toHaveLength(1);
  });

  it("reports an unreachable server as retryable", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    repoURL = `http://127.0.0.1:${closed}/team/repo.git`;
    await expect(discover()).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("discovery will retry") });
  });

  it("refuses URLs it must not hand to git", async () => {
    for (const [url, said] of [
      ["git@gitlab.example.com:team/repo.git", "is an ssh URL"],
      ["ssh://git@gitlab.example.com/team/repo.git", "is an ssh URL"],
      ["file:///etc", "the file scheme is not allowed"],
      ["ext::sh -c touch% /tmp/pwned", "the ext scheme is not allowed"],
      ["not a url at all", "is not a URL"],
      ["https://user:hunter2@gitlab.example.com/team/repo.git", "the URL carries credentials"],
      ["https://gitlab.example.com/", "names a host but no repository"],
    ] as const) {
      repoURL = url;
      const error = await discover().catch((e: Error) => e);
      expect(error, url).toMatchObject({ retryable: false, message: expect.stringContaining(said) });
      expect((error as Error).message).not.toContain("hunter2@");
    }
    repoURL = "file:///etc";
    await expect(discover({}, { field: "warehouse app, subscriptions[1].git" })).rejects.toThrow("warehouse app, subscriptions[1].git.repoURL: the file scheme is not allowed");
  });

  it("ranks 10,000 tags from one ls-remote, and dates them all for NewestTag", async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `v${Math.floor(i / 100)}.${i % 100}.0`);
    await writeTags(s.t, "acme", "app", names.map((name) => ({ name, sha: shas.docs! })));
    await pushTags(s.t, "acme", "app", [{ name: "hotfix-7", sha: shas.values!, annotatedAt: "2031-01-01T00:00:00Z" }]);

    const started = Date.now();
    const top = await discover({ commitSelectionStrategy: "SemVer", semverConstraint: "~42.7", discoveryLimit: 2 });
    expect(top.map((c) => [c.tag, c.id])).toEqual([["v42.7.0", shas.docs]]);
    const newest = await discover({ commitSelectionStrategy: "NewestTag", discoveryLimit: 3 });
    expect(newest.map((c) => c.tag)).toEqual(["hotfix-7", "v99.99.0", "v99.98.0"]);
    expect(newest[0]).toMatchObject({ id: shas.values, createdAt: "2031-01-01T00:00:00Z" });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
