import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstallationOctokit } from "../../src/github/installations.js";
import { findPendingVerifications, readOpenVerification, reportVerificationProgress, startVerification } from "../../src/github/verification.js";
import type { PendingVerification } from "../../src/records/verification-record.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";
import { appJwt } from "../support/sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
const draft = (sha: string): Omit<PendingVerification, "checkRunIds"> => ({
  promotionId: "guestbook/dev/aaaaaaaaaaaa",
  stage: "dev",
  freight: { name: "a".repeat(40), alias: "brave-otter", origin: { kind: "Warehouse", name: "app" } },
  sha,
  checks: ["e2e"],
  http: [],
  startedAt: "2026-11-22T10:00:00.000Z",
  timeoutAt: "2026-11-22T11:00:00.000Z",
});

describe("verification records on GitHub", () => {
  let sb: PromotionSandbox;
  let octokit: InstallationOctokit;
  beforeEach(async () => {
    sb = await startPromotionSandbox({ "README.md": "gitops\n" });
    octokit = sb.octokit as unknown as InstallationOctokit;
  });
  afterEach(() => sb.close());

  it("finds the App's verification under way on a commit and reads it again, with the lines it showed", async () => {
    const sha = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    const started = await startVerification(octokit, repo, draft(sha), undefined, "Verifying");
    await reportVerificationProgress(octokit, repo, started, "Verifying dev", ["- check `e2e`: not finished yet"]);
    expect(await findPendingVerifications(octokit, repo, sha, sb.test.app.id)).toEqual([{ pending: started, lines: ["- check `e2e`: not finished yet"] }]);
    expect(await readOpenVerification(octokit, repo, started.checkRunIds[0]!)).toEqual({ pending: started, lines: ["- check `e2e`: not finished yet"] });
  });

  it("passes over another App's check run of that name carrying a well-formed record", async () => {
    const sha = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    const impostor = sb.test.sandbox.registerApp({ name: "Impostor" });
    const installation = await sb.test.sandbox.installApp(impostor.id, "acme", ["gitops"]);
    const jwt = new Octokit({ baseUrl: sb.test.sandbox.url, auth: appJwt(impostor.id, impostor.privateKey) });
    const { data: token } = await jwt.rest.apps.createInstallationAccessToken({ installation_id: installation });
    const foreign = new Octokit({ baseUrl: sb.test.sandbox.url, auth: token.token }) as unknown as InstallationOctokit;
    await startVerification(foreign, repo, draft(sha), undefined, "Verifying");
    expect(await findPendingVerifications(octokit, repo, sha, sb.test.app.id)).toEqual([]);
    // Without the App's ID (a tool that is not the App) the record is found: the ID is what keeps it out.
    expect(await findPendingVerifications(octokit, repo, sha)).toHaveLength(1);
  });
});
