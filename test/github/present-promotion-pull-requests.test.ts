import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { createPullRequestService } from "../../src/github/pull-requests.js";
import { presentPromotionPullRequests, type PromotionPresentation } from "../../src/github/present-promotion-pull-requests.js";
import { parseMetadata } from "../../src/records/promotion-metadata.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const REPO_URL = "https://github.com/acme/gitops";
const repoOf = () => ({ owner: "acme", repo: "gitops" });
const KEY = "metadata key";

describe("promotion pull requests as the App presents them", () => {
  let t: TestSandbox;
  let octokit: Octokit;

  beforeEach(async () => {
    t = await startTestSandbox();
    t.sandbox.createOrg("acme");
    await t.sandbox.createRepo("acme", "gitops", { files: { "env/dev/image.txt": "1.0.0\n" } });
    t.sandbox.createUser("bob");
    t.sandbox.setPermission("acme", "gitops", "bob", "write");
    t.sandbox.createTeam("acme", "platform", { members: ["carol"], repos: { gitops: "write" } });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "stagecoach/promotion/guestbook/dev/abc", files: { "env/dev/image.txt": "1.1.0\n" }, message: "promote", author: "acme" });
  });
  afterEach(async () => {
    await t.close();
  });

  const open = (presentation: Partial<PromotionPresentation>) => {
    const service = presentPromotionPullRequests(createPullRequestService(octokit, repoOf), octokit, repoOf, async () => ({
      title: "Promote brave-otter to dev",
      body: "body",
      metadata: { project: "guestbook", stage: "dev", freight: "a".repeat(40), warehouse: "app", promotion: "guestbook/dev/abc", repository: "elsewhere/ignored", branch: "ignored" },
      labels: ["stage:dev"],
      reviewers: [],
      teamReviewers: [],
      ...presentation,
    }), KEY);
    return service.create(REPO_URL, { head: "stagecoach/promotion/guestbook/dev/abc", base: "main", title: "ignored", body: "ignored", labels: ["extra"] });
  };

  it("opens it with the rendered title, labels, and the stage's reviewers and teams requested", async () => {
    const created = await open({ reviewers: ["bob"], teamReviewers: ["platform"] });
    const pull = t.sandbox.pullRequest("acme", "gitops", created.number)!;
    expect([pull.title, pull.labels, pull.requestedReviewers, pull.requestedTeams]).toEqual(["Promote brave-otter to dev", ["stage:dev", "extra"], ["bob"], ["platform"]]);
  });

  it("signs the metadata block for the repository and the head branch it is really opened from", async () => {
    const created = await open({});
    const pull = t.sandbox.pullRequest("acme", "gitops", created.number)!;
    expect(pull.body?.startsWith("body\n\n<!-- stagecoach:metadata ")).toBe(true);
    expect(parseMetadata(pull.body, KEY)).toMatchObject({ ok: true, metadata: { repository: "acme/gitops", branch: "stagecoach/promotion/guestbook/dev/abc", promotion: "guestbook/dev/abc" } });
    expect(parseMetadata(pull.body, "another key")).toMatchObject({ ok: false, reason: "tampered" });
  });

  it("still opens it when GitHub refuses a reviewer, and says on the pull request which setting to fix", async () => {
    const created = await open({ reviewers: ["mallory"] });
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: created.number });
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("could not request reviews from @mallory");
    expect(comments[0]!.body).toContain("`github.reviewers` / `github.teamReviewers`");
    expect(t.sandbox.pullRequest("acme", "gitops", created.number)?.state).toBe("open");
  });
});
