import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";
import { collectDeliveries } from "./collect-deliveries.js";

describe("GitHub sandbox: issues, comments, reactions, labels, permissions", () => {
  let t: TestSandbox;
  let octokit: Octokit;

  beforeEach(async () => {
    t = await startTestSandbox();
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "hi\n" } });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
  });
  afterEach(async () => {
    await t.close();
  });

  it("creates an issue, comments on it, reacts and labels, sharing numbers with pull requests", async () => {
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "feature", files: { a: "1" }, message: "a", author: "acme" });
    const prNumber = await t.sandbox.openPullRequest({ owner: "acme", repo: "gitops", head: "feature", base: "main", title: "PR", author: "acme" });
    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: "Promotion dashboard", labels: ["stagecoach"] });
    expect(issue.number).toBe(prNumber + 1);
    const { data: comment } = await octokit.rest.issues.createComment({ owner: "acme", repo: "gitops", issue_number: prNumber, body: "/status" });
    await octokit.rest.reactions.createForIssueComment({ owner: "acme", repo: "gitops", comment_id: comment.id, content: "eyes" });
    const { data: reactions } = await octokit.rest.reactions.listForIssueComment({ owner: "acme", repo: "gitops", comment_id: comment.id });
    expect(reactions.map((r) => r.content)).toEqual(["eyes"]);
    await octokit.rest.issues.addLabels({ owner: "acme", repo: "gitops", issue_number: prNumber, labels: ["stage:dev"] });
    const { data: prIssue } = await octokit.rest.issues.get({ owner: "acme", repo: "gitops", issue_number: prNumber });
    expect(prIssue.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["stage:dev"]);
    const { data: listed } = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "gitops", labels: "stagecoach" });
    expect(listed.map((i) => i.number)).toEqual([issue.number]);
    await expect(octokit.rest.reactions.createForIssueComment({ owner: "acme", repo: "gitops", comment_id: comment.id, content: "thumbs" as never })).rejects.toMatchObject({ status: 422 });
    // GitHub's description already refuses that content; the harness would fail the test on this expected record.
    expect(t.sandbox.schemaViolations().map((v) => v.path)).toEqual(["/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"]);
    t.sandbox.clearSchemaViolations();
  });

  it("says what an edit changed in issues.edited, with the old body, as GitHub does", async () => {
    const hooks = await collectDeliveries();
    t.sandbox.setWebhookUrl(t.app.id, hooks.url);
    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: "Dashboard", body: "- [ ] one" });
    await octokit.rest.issues.update({ owner: "acme", repo: "gitops", issue_number: issue.number, body: "- [x] one" });
    await octokit.rest.issues.update({ owner: "acme", repo: "gitops", issue_number: issue.number, title: "Promotion dashboard" });
    await t.sandbox.waitForIdle();
    const deliveries = hooks.all().filter((d) => d.event === "issues").map((d) => d.payload);
    await hooks.close();
    expect(deliveries.map((d) => [d.action, d.changes])).toEqual([
      ["opened", undefined],
      ["edited", { body: { from: "- [ ] one" } }],
      ["edited", { title: { from: "Dashboard" } }],
    ]);
  });

  it("answers a collaborator's permission with GitHub's folding of roles", async () => {
    t.sandbox.createUser("mallory");
    t.sandbox.createUser("maya");
    t.sandbox.setPermission("acme", "gitops", "maya", "maintain");
    const { data: maya } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "gitops", username: "maya" });
    expect([maya.permission, maya.role_name]).toEqual(["write", "maintain"]);
    const { data: mallory } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "gitops", username: "mallory" });
    expect(mallory.permission).toBe("read");
    await expect(octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "gitops", username: "nobody" })).rejects.toMatchObject({ status: 404 });
  });

  it("sends issue_comment.created when a person comments through the control API", async () => {
    const deliveries: string[] = [];
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      deliveries.push(String(req.headers["x-github-event"]));
      req.resume();
      res.writeHead(202).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    t.sandbox.setWebhookUrl(t.app.id, `http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    t.sandbox.createUser("alice");
    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: "x" });
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "/promote uat", author: "alice" });
    await t.sandbox.waitForIdle();
    server.close();
    expect(deliveries).toContain("issue_comment");
  });
});
