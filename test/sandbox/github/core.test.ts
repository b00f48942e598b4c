import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { verifySignature } from "../../../src/web/verify-signature.js";
import { appJwt, startTestSandbox, type TestSandbox } from "../../support/sandbox.js";

// The sandbox runs in this process: git must run asynchronously or it would wait on a blocked server.
const git = promisify(execFile);

interface Received {
  event: string;
  id: string;
  signatureOk: boolean;
  payload: Record<string, unknown>;
}

/** A small HTTP server standing in for the App, recording what the sandbox delivers. */
async function startReceiver(secret: () => string): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({
        event: String(req.headers["x-github-event"]),
        id: String(req.headers["x-github-delivery"]),
        signatureOk: verifySignature(secret(), body, String(req.headers["x-hub-signature-256"])),
        payload: JSON.parse(body.toString("utf8")),
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

describe("GitHub sandbox core", () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let installationId: number;
  let octokit: Octokit;

  beforeEach(async () => {
    let secret = "";
    receiver = await startReceiver(() => secret);
    t = await startTestSandbox({ webhookUrl: receiver.url });
    secret = t.app.webhookSecret;
    await t.sandbox.createRepo("acme", "gitops", { files: { "env/dev/values.yaml": "image:\n  tag: 1.0.0\n", "README.md": "hi\n" } });
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
  });
  afterEach(async () => {
    await t.close();
    receiver.server.close();
  });

  it("authenticates the App by JWT, issues installation tokens, and refuses bad credentials", async () => {
    const { data: app } = await t.appOctokit().rest.apps.getAuthenticated();
    expect(app?.slug).toBe("stagecoach-test");
    const { data: installations } = await t.appOctokit().rest.apps.listInstallations();
    expect(installations.map((i) => i.id)).toEqual([installationId]);
    const { data: repos } = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(repos.repositories.map((r) => r.full_name)).toEqual(["acme/gitops"]);

    const forged = new Octokit({ baseUrl: t.sandbox.url, auth: "ghs_not-a-real-token" });
    await expect(forged.rest.repos.get({ owner: "acme", repo: "gitops" })).rejects.toMatchObject({ status: 401 });
    const otherKey = execFileSync("openssl", ["genrsa", "2048"], { stdio: ["ignore", "pipe", "ignore"] }).toString();
    const wrongJwt = new Octokit({ baseUrl: t.sandbox.url, auth: appJwt(t.app.id, otherKey) });
    await expect(wrongJwt.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it("sends a signed installation delivery with GitHub's shape", async () => {
    await t.sandbox.waitForIdle();
    const installation = receiver.received.find((r) => r.event === "installation");
    expect(installation?.signatureOk).toBe(true);
    expect(installation?.payload).toMatchObject({ action: "created", installation: { id: installationId }, repositories: [{ full_name: "acme/gitops" }] });
  });

  it("writes one commit through blobs, a tree with base_tree, a commit and a ref update, and announces the push", async () => {
    const { data: ref } = await octokit.rest.git.getRef({ owner: "acme", repo: "gitops", ref: "heads/main" });
    const { data: parent } = await octokit.rest.git.getCommit({ owner: "acme", repo: "gitops", commit_sha: ref.object.sha });
    const { data: blob } = await octokit.rest.git.createBlob({ owner: "acme", repo: "gitops", content: "image:\n  tag: 1.1.0\n" });
    const { data: tree } = await octokit.rest.git.createTree({
      owner: "acme",
      repo: "gitops",
      base_tree: parent.tree.sha,
      tree: [{ path: "env/dev/values.yaml", mode: "100644", type: "blob", sha: blob.sha }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({ owner: "acme", repo: "gitops", message: "bump dev to 1.1.0", tree: tree.sha, parents: [parent.sha] });
    await octokit.rest.git.updateRef({ owner: "acme", repo: "gitops", ref: "heads/main", sha: commit.sha });

    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/values.yaml")).toBe("image:\n  tag: 1.1.0\n");
    expect(await t.sandbox.readFile("acme", "gitops", "main", "README.md")).toBe("hi\n");
    await t.sandbox.waitForIdle();
    const push = receiver.received.filter((r) => r.event === "push").at(-1);
    expect(push?.payload).toMatchObject({ ref: "refs/heads/main", before: parent.sha, after: commit.sha, head_commit: { message: "bump dev to 1.1.0", modified: ["env/dev/values.yaml"] } });
  });

  it("refuses a ref update that is not a fast-forward unless forced", async () => {
    const main = await t.sandbox.branchSha("acme", "gitops", "main");
    const { data: lone } = await octokit.rest.git.createCommit({ owner: "acme", repo: "gitops", message: "unrelated", tree: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", parents: [] }).catch(async () => {
      const { data: empty } = await octokit.rest.git.createTree({ owner: "acme", repo: "gitops", tree: [{ path: "x", mode: "100644", type: "blob", content: "x" }] });
      return octokit.rest.git.createCommit({ owner: "acme", repo: "gitops", message: "unrelated", tree: empty.sha, parents: [] });
    });
    await expect(octokit.rest.git.updateRef({ owner: "acme", repo: "gitops", ref: "heads/main", sha: lone.sha })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Update is not a fast forward"),
    });
    expect(await t.sandbox.branchSha("acme", "gitops", "main")).toBe(main);
    await octokit.rest.git.updateRef({ owner: "acme", repo: "gitops", ref: "heads/main", sha: lone.sha, force: true });
    expect(await t.sandbox.branchSha("acme", "gitops", "main")).toBe(lone.sha);
  });

  it("opens a pull request and merges it into a real two-parent merge commit", async () => {
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { "other.txt": "main moved\n" }, message: "move main", author: "acme" });
    await octokit.rest.git.createRef({ owner: "acme", repo: "gitops", ref: "refs/heads/stagecoach/dev/x", sha: (await t.sandbox.branchSha("acme", "gitops", "main"))! });
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "stagecoach/dev/x", files: { "env/dev/values.yaml": "image:\n  tag: 2.0.0\n" }, message: "promote", author: "acme" });
    const { data: pr } = await octokit.rest.pulls.create({ owner: "acme", repo: "gitops", head: "stagecoach/dev/x", base: "main", title: "Promote x to dev" });
    const { data: fetched } = await octokit.rest.pulls.get({ owner: "acme", repo: "gitops", pull_number: pr.number });
    expect(fetched.mergeable).toBe(true);
    const { data: files } = await octokit.rest.pulls.listFiles({ owner: "acme", repo: "gitops", pull_number: pr.number });
    expect(files.map((f) => f.filename)).toEqual(["env/dev/values.yaml"]);
    const { data: merge } = await octokit.rest.pulls.merge({ owner: "acme", repo: "gitops", pull_number: pr.number, merge_method: "merge" });
    const { data: mergeCommit } = await octokit.rest.git.getCommit({ owner: "acme", repo: "gitops", commit_sha: merge.sha });
    expect(mergeCommit.parents).toHaveLength(2);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/values.yaml")).toBe("image:\n  tag: 2.0.0\n");
    await expect(octokit.rest.pulls.merge({ owner: "acme", repo: "gitops", pull_number: pr.number })).rejects.toMatchObject({ status: 405 });
    await t.sandbox.waitForIdle();
    const closed = receiver.received.find((r) => r.event === "pull_request" && r.payload.action === "closed");
    expect(closed?.payload).toMatchObject({ pull_request: { merged: true, merge_commit_sha: merge.sha } });
  });

  it("rejects a request that does not match GitHub's OpenAPI description, and records it", async () => {
    const response = await fetch(`${t.sandbox.url}/repos/acme/gitops/git/refs`, {
      method: "POST",
      headers: { authorization: `token ${(await (await t.installationOctokit(installationId)).auth() as { token: string }).token}`, "content-type": "application/json" },
      body: JSON.stringify({ ref: "refs/heads/x", sha: 12345 }),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain("Request does not match GitHub's OpenAPI description");
    const violations = t.sandbox.schemaViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ direction: "request", method: "POST", path: "/repos/{owner}/{repo}/git/refs" });
    // The harness fails any test that leaves a violation behind; this one is about that very record.
    t.sandbox.clearSchemaViolations();
  });

  it("counts calls and bytes per endpoint, and plays scripted failures with GitHub's headers", async () => {
    t.sandbox.resetStats();
    await octokit.rest.repos.get({ owner: "acme", repo: "gitops" });
    await octokit.rest.repos.get({ owner: "acme", repo: "gitops" });
    const stats = t.sandbox.stats()["GET /repos/{owner}/{repo}"];
    expect(stats?.calls).toBe(2);
    expect(stats?.responseBytes).toBeGreaterThan(1000);

    t.sandbox.failNext({ path: "/repos/{owner}/{repo}", status: 429, rateLimit: "primary" });
    const raw = await fetch(`${t.sandbox.url}/repos/acme/gitops`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get("x-ratelimit-remaining")).toBe("0");
    t.sandbox.failNext({ path: "/repos/{owner}/{repo}", status: 403, rateLimit: "secondary" });
    const secondary = await fetch(`${t.sandbox.url}/repos/acme/gitops`);
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get("retry-after")).toBe("1");
  });

  it("serves git over HTTP: clone, and a push with a token fires a push webhook", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-clone-"));
    const user = t.sandbox.createUser("alice");
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    const url = t.sandbox.gitUrl("acme", "gitops").replace("http://", `http://alice:${user.token}@`);
    await git("git", ["clone", "--quiet", url, dir]);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("hi\n");
    writeFileSync(join(dir, "README.md"), "changed\n");
    await git("git", ["-C", dir, "-c", "user.name=alice", "-c", "user.email=a@x", "commit", "-qam", "edit readme"]);
    await git("git", ["-C", dir, "push", "--quiet", "origin", "main"]);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "README.md")).toBe("changed\n");
    await t.sandbox.waitForIdle();
    const push = receiver.received.filter((r) => r.event === "push").at(-1);
    expect(push?.payload).toMatchObject({ ref: "refs/heads/main", pusher: { name: "alice" } });

    const anonymous = t.sandbox.gitUrl("acme", "gitops");
    await expect(git("git", ["-C", dir, "push", "--quiet", anonymous, "main:refs/heads/anon"], { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } })).rejects.toThrow(/Authentication failed|401|could not read Username/);
    expect(await t.sandbox.branchSha("acme", "gitops", "anon")).toBeUndefined();
  });

  it("pages lists with a Link header", async () => {
    for (let i = 0; i < 5; i++) {
      await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: `b${i}`, files: { [`f${i}`]: "x" }, message: `b${i}`, author: "acme" });
    }
    const first = await octokit.rest.repos.listBranches({ owner: "acme", repo: "gitops", per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.repos.listBranches, { owner: "acme", repo: "gitops", per_page: 2 });
    expect(all.map((b) => b.name).sort()).toEqual(["b0", "b1", "b2", "b3", "b4", "main"]);
  });

  it("redelivers a delivery with the same ID and body", async () => {
    await t.sandbox.waitForIdle();
    const first = t.sandbox.deliveries()[0]!;
    t.sandbox.redeliver(first.id);
    await t.sandbox.waitForIdle();
    const copies = receiver.received.filter((r) => r.id === first.id);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.payload).toEqual(copies[0]!.payload);
  });
});
