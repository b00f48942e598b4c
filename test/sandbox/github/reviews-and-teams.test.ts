import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";
import { collectDeliveries, type CollectedDeliveries } from "./collect-deliveries.js";

describe("GitHub sandbox: reviews, requested reviewers and teams", () => {
  let t: TestSandbox;
  let octokit: Octokit;
  let hooks: CollectedDeliveries;
  let number: number;

  beforeEach(async () => {
    hooks = await collectDeliveries();
    t = await startTestSandbox({ webhookUrl: hooks.url });
    t.sandbox.createOrg("acme");
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "hi\n" } });
    for (const login of ["alice", "bob", "carol"]) t.sandbox.createUser(login);
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    t.sandbox.setPermission("acme", "gitops", "bob", "write");
    octokit = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]).then((id) => t.installationOctokit(id));
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "promote/uat", files: { "uat/image.txt": "1.2.0\n" }, message: "promote", author: "alice" });
    number = await t.sandbox.openPullRequest({ owner: "acme", repo: "gitops", head: "promote/uat", base: "main", title: "Promote to uat", author: "alice" });
  });
  afterEach(async () => {
    await t.close();
    await hooks.close();
  });

  it("requests reviewers, and a submitted approval answers the request and is delivered", async () => {
    t.sandbox.createTeam("acme", "platform", { members: ["carol"], repos: { gitops: "write" } });
    const { data: requested } = await octokit.rest.pulls.requestReviewers({ owner: "acme", repo: "gitops", pull_number: number, reviewers: ["bob"], team_reviewers: ["platform"] });
    expect(requested.requested_reviewers?.map((u) => u.login)).toEqual(["bob"]);
    expect(requested.requested_teams?.map((team) => team.slug)).toEqual(["platform"]);

    await t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number, by: "bob", event: "APPROVE" });
    const { data: reviews } = await octokit.rest.pulls.listReviews({ owner: "acme", repo: "gitops", pull_number: number });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([["bob", "APPROVED", t.sandbox.pullRequest("acme", "gitops", number)!.headSha]]);
    const { data: still } = await octokit.rest.pulls.listRequestedReviewers({ owner: "acme", repo: "gitops", pull_number: number });
    expect([still.users.map((u) => u.login), still.teams.map((team) => team.slug)]).toEqual([[], ["platform"]]);

    await t.sandbox.waitForIdle();
    const submitted = hooks.find("pull_request_review", "submitted");
    expect(submitted.review).toMatchObject({ state: "approved", user: { login: "bob" } });
    expect(submitted.pull_request).toMatchObject({ number });
    expect(hooks.actions("pull_request")).toEqual(["opened", "review_requested", "review_requested"]);
  });

  it("refuses what GitHub refuses: approving your own pull request, strangers as reviewers, a bad event", async () => {
    await expect(t.sandbox.reviewPullRequest({ owner: "acme", repo: "gitops", number, by: "alice", event: "APPROVE" })).rejects.toThrow(/Can not approve your own pull request/);
    await expect(octokit.rest.pulls.requestReviewers({ owner: "acme", repo: "gitops", pull_number: number, reviewers: ["carol"] })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.pulls.requestReviewers({ owner: "acme", repo: "gitops", pull_number: number, reviewers: ["alice"] })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("pull request author"),
    });
    const bob = t.userOctokit(t.sandbox.createUser("bob").token);
    await expect(bob.rest.pulls.createReview({ owner: "acme", repo: "gitops", pull_number: number, event: "SHIP_IT" as never })).rejects.toMatchObject({ status: 422 });
    // The OpenAPI check rightly flags the request above; nothing else may have been off.
    expect(t.sandbox.schemaViolations().map((v) => v.direction)).toEqual(["request"]);
    t.sandbox.clearSchemaViolations();
  });

  it("dismisses an approval and says so in a delivery; a pending review stays private until submitted", async () => {
    const bob = t.userOctokit(t.sandbox.createUser("bob").token);
    const { data: pending } = await bob.rest.pulls.createReview({ owner: "acme", repo: "gitops", pull_number: number, body: "looking" });
    expect(pending.state).toBe("PENDING");
    expect((await octokit.rest.pulls.listReviews({ owner: "acme", repo: "gitops", pull_number: number })).data).toEqual([]);
    const { data: approved } = await bob.rest.pulls.submitReview({ owner: "acme", repo: "gitops", pull_number: number, review_id: pending.id, event: "APPROVE" });
    expect(approved.state).toBe("APPROVED");
    const { data: dismissed } = await octokit.rest.pulls.dismissReview({ owner: "acme", repo: "gitops", pull_number: number, review_id: approved.id, message: "new commits" });
    expect(dismissed.state).toBe("DISMISSED");
    await t.sandbox.waitForIdle();
    expect(hooks.actions("pull_request_review")).toEqual(["submitted", "dismissed"]);
  });

  it("answers team membership, 404 for a non-member, and folds team permissions into a member's permission", async () => {
    t.sandbox.createTeam("acme", "release-managers", { maintainers: ["carol"], repos: { gitops: "maintain" } });
    t.sandbox.addTeamMember("acme", "release-managers", "dave");
    const { data: carol } = await octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "release-managers", username: "carol" });
    expect([carol.role, carol.state]).toEqual(["maintainer", "active"]);
    const { data: dave } = await octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "release-managers", username: "dave" });
    expect(dave.role).toBe("member");
    await expect(octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "release-managers", username: "bob" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "nobody", username: "carol" })).rejects.toMatchObject({ status: 404 });
    const { data: members } = await octokit.rest.teams.listMembersInOrg({ org: "acme", team_slug: "release-managers", role: "maintainer" });
    expect(members.map((m) => m.login)).toEqual(["carol"]);
    const { data: permission } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "gitops", username: "dave" });
    expect(permission.role_name).toBe("maintain");
  });

  it("lets a demo or script act as people over the control API: a team, a member, an approval", async () => {
    const control = (method: string, path: string, body: unknown) =>
      fetch(`${t.sandbox.url}/_sandbox/${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await control("POST", "orgs/acme/teams", { slug: "sre", repos: { gitops: "write" } })).status).toBe(201);
    expect((await control("PUT", "orgs/acme/teams/sre/members/carol", { role: "maintainer" })).status).toBe(200);
    const review = await control("POST", `repos/acme/gitops/pulls/${number}/reviews`, { by: "carol", event: "APPROVE" });
    expect(review.status).toBe(201);
    const { data: reviews } = await octokit.rest.pulls.listReviews({ owner: "acme", repo: "gitops", pull_number: number });
    expect(reviews.map((r) => [r.id, r.user?.login, r.state])).toEqual([[((await review.json()) as { id: number }).id, "carol", "APPROVED"]]);
    const refused = await control("POST", `repos/acme/gitops/pulls/${number}/reviews`, { by: "nobody", event: "APPROVE" });
    expect([refused.status, ((await refused.json()) as { message: string }).message]).toEqual([404, "no sandbox user nobody; create it first"]);
  });
});
