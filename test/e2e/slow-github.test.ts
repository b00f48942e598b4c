import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Octokit } from "@octokit/rest";
import type { RunningServer } from "../../src/server.js";
import { signBody } from "../../src/web/verify-signature.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const CONFIG = readFileSync(new URL("../fixtures/config/good/pipeline/.github/stagecoach.yml", import.meta.url), "utf8");
const repo = { owner: "acme", repo: "gitops" };
/** Longer than the 10 s GitHub (and the sandbox) waits for a delivery to be answered. */
const SLOW_MS = 12_000;

type Checked = { sha: string; valid: boolean };

/**
 * GitHub answering slowly on the calls a handler used to make before answering (`GET /app`, a pull
 * request's files): deliveries are still answered at once, and the work still gets done by the jobs.
 */
describe("end to end: deliveries answered while GitHub is slow", { timeout: 90_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  const checked: Checked[] = [];
  const captured = captureLog();

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 45_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${String(l.err ?? "")}`).join(" | ")}`);
  };
  const deliveryOf = (event: string, since: number) => t.sandbox.deliveries().slice(since).find((d) => d.event === event);

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onConfigChecked: (result) => checked.push(result) });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    t.sandbox.createUser("alice");
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    const installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    const adopted = await t.sandbox.pushCommit({ ...repo, branch: "main", files: { ".github/stagecoach.yml": CONFIG }, message: "add pipeline", author: "acme" });
    await waitFor("the pipeline to be adopted", () => checked.find((c) => c.sha === adopted));
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("answers a comment's delivery without waiting for GET /app, then runs its command", async () => {
    t.sandbox.delayNext({ method: "GET", path: "/app", ms: SLOW_MS, times: 1 });
    const issue = (await octokit.rest.issues.create({ ...repo, title: "Releases" })).data.number;
    const since = t.sandbox.deliveries().length;
    t.sandbox.comment({ ...repo, number: issue, body: "/help", author: "alice" });
    await t.sandbox.waitForIdle();
    const delivery = deliveryOf("issue_comment", since);
    expect(delivery).toMatchObject({ status: 202 });
    expect(delivery?.error).toBeUndefined();
    const answer = await waitFor("the answer to /help", async () => {
      const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue });
      return data.find((c) => c.user?.type === "Bot")?.body ?? undefined;
    });
    expect(answer).toContain("/promote");
    expect(t.sandbox.stats()["GET /app"]?.calls).toBeGreaterThanOrEqual(1);
  });

  it("leaves the App's own comments alone even when the delivery does not mark the sender as a bot", async () => {
    // A delivery of a comment by the App's bot whose sender says "User": only the job, which knows the App's slug, can tell.
    const own = `${t.app.slug}[bot]`;
    const original = t.sandbox.deliveries().find((d) => d.event === "issue_comment")!;
    const payload = JSON.parse(original.body) as { sender: Record<string, unknown>; issue: { number: number } };
    const body = JSON.stringify({ ...payload, sender: { ...payload.sender, login: own, type: "User" } });
    const before = (await octokit.rest.issues.listComments({ ...repo, issue_number: payload.issue.number })).data.length;
    const response = await fetch(original.url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": randomUUID(), "x-hub-signature-256": signBody(t.app.webhookSecret, body) },
    });
    expect(response.status).toBe(202);
    await waitFor("the job to pass over the App's own comment", () => captured.lines.find((l) => l.msg === "comment by the App itself or another bot; its commands are not run" && l.author === own));
    expect((await octokit.rest.issues.listComments({ ...repo, issue_number: payload.issue.number })).data.length).toBe(before);
  });

  it("answers a pull request's delivery without listing its files, then checks the config it changes", async () => {
    t.sandbox.delayNext({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/files", ms: SLOW_MS });
    const sha = await t.sandbox.pushCommit({ ...repo, branch: "change-pipeline", files: { ".github/stagecoach.yml": `${CONFIG}\n# reviewed\n` }, message: "touch the pipeline", author: "alice" });
    const since = t.sandbox.deliveries().length;
    await t.sandbox.openPullRequest({ ...repo, head: "change-pipeline", base: "main", title: "Pipeline change", author: "alice" });
    await t.sandbox.waitForIdle();
    const delivery = t.sandbox.deliveries().slice(since).find((d) => d.event === "pull_request" && d.action === "opened");
    expect(delivery).toMatchObject({ status: 202 });
    expect(delivery?.error).toBeUndefined();
    // The push of the branch is checked at once; the pull request's own check waits for its slow file list.
    const checks = await waitFor("the config check of the pull request", () => {
      const found = checked.filter((c) => c.sha === sha);
      return found.length >= 2 ? found : undefined;
    });
    expect(checks.map((c) => c.valid)).toEqual([true, true]);
    expect(t.sandbox.stats()["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"]?.calls).toBe(1);
  });
});
