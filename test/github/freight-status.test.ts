import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import { approvedCheckName, readFreightChecks, readStageDeployments, verifyCheckName } from "../../src/github/freight-status.js";
import { recordDeployment } from "../../src/github/deployments.js";
import { recordManualApproval } from "../../src/github/freight-approvals.js";
import type { InstallationOctokit } from "../../src/github/installations.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
const origin = { kind: "Warehouse", name: "app" };
const image = (tag: string) => ({ repoURL: "ghcr.io/acme/app", tag, digest: `sha256:${tag.replace(/\D/g, "").padEnd(64, "0")}` });

let sb: PromotionSandbox;
beforeEach(async () => {
  sb = await startPromotionSandbox({ "README.md": "gitops\n" });
});
afterEach(() => sb.close());

/** A second App installed on the same repository: it can create check runs with any name. */
async function otherApp(): Promise<Octokit> {
  const other = sb.test.sandbox.registerApp({ name: "Impostor" });
  const installation = await sb.test.sandbox.installApp(other.id, "acme", ["gitops"]);
  const { appJwt } = await import("../support/sandbox.js");
  const { Octokit: Client } = await import("@octokit/rest");
  const jwt = new Client({ baseUrl: sb.test.sandbox.url, auth: appJwt(other.id, other.privateKey) });
  const { data } = await jwt.rest.apps.createInstallationAccessToken({ installation_id: installation });
  return new Client({ baseUrl: sb.test.sandbox.url, auth: data.token });
}

describe("freight status on GitHub", () => {
  it("reads verifiedIn and approvedFor from the App's own check runs on the freight record, ignoring failures and other Apps", async () => {
    const { freight } = await recordFreight(sb.octokit, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-22T10:00:00.000Z" });
    const commit = freight.commit!;
    const create = (client: Octokit, name: string, conclusion: string, completed_at: string) =>
      client.rest.checks.create({ ...repo, head_sha: commit, name, status: "completed", conclusion: conclusion as "success", completed_at });
    await create(sb.octokit, verifyCheckName("dev"), "failure", "2026-11-22T10:05:00Z");
    await create(sb.octokit, verifyCheckName("dev"), "success", "2026-11-22T10:10:00Z");
    // A later failed re-verification does not take the verification back (Kargo keeps verifiedIn).
    await create(sb.octokit, verifyCheckName("dev"), "failure", "2026-11-22T10:20:00Z");
    await create(sb.octokit, verifyCheckName("uat"), "failure", "2026-11-22T10:30:00Z");
    await recordManualApproval(sb.octokit as unknown as InstallationOctokit, repo, commit, "prod", "carol", freight.alias);
    // Someone else's App (or a workflow) claiming prod verification counts for nothing.
    await create(await otherApp(), verifyCheckName("prod"), "success", "2026-11-22T10:40:00Z");

    const status = await readFreightChecks(sb.octokit, repo, commit, sb.test.app.id);
    expect(status.verifiedIn).toEqual({ dev: { verifiedAt: "2026-11-22T10:10:00Z" } });
    expect(Object.keys(status.approvedFor ?? {})).toEqual(["prod"]);
    const { data } = await sb.octokit.rest.checks.listForRef({ ...repo, ref: commit, check_name: approvedCheckName("prod") });
    expect(data.check_runs[0]?.output.title).toBe(`${freight.alias} approved for prod by @carol`);
  });

  it("says what each stage runs from the newest deployment of this project, with any auto-promotion hold", async () => {
    const sha = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    const deploy = (stage: string, name: string, extra: object = {}) =>
      recordDeployment(sb.octokit as unknown as InstallationOctokit, repo, { project: "guestbook", stage, promotionId: `guestbook/${stage}/${name.slice(0, 12)}`, freight: { name, origin }, sha, environment: stage, state: "success", ...extra });
    await deploy("dev", "a".repeat(40));
    await deploy("dev", "b".repeat(40));
    await deploy("prod", "c".repeat(40), { hold: { since: "2026-11-22T11:00:00Z", reason: "@carol rolled prod back to c" } });
    // Another project's deployments in the same repository are not this project's stages.
    await recordDeployment(sb.octokit as unknown as InstallationOctokit, repo, { project: "other", stage: "dev", promotionId: "other/dev/x", freight: { name: "d".repeat(40), origin }, sha, environment: "other-dev", state: "success" });

    const deployments = await readStageDeployments(sb.octokit, repo, "guestbook");
    expect([...deployments.keys()].sort()).toEqual(["dev", "prod"]);
    expect(deployments.get("dev")?.freight.name).toBe("b".repeat(40));
    expect(deployments.get("dev")?.hold).toBeUndefined();
    expect(deployments.get("prod")?.hold).toEqual({ since: "2026-11-22T11:00:00Z", reason: "@carol rolled prod back to c" });
  });

  it("finds every stage however many deployments came since: a stage quiet for a long time does not drop out of the pipeline", async () => {
    const sha = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    const octokit = sb.octokit as unknown as InstallationOctokit;
    const deploy = (stage: string, name: string) => recordDeployment(octokit, repo, { project: "guestbook", stage, promotionId: `guestbook/${stage}/${name.slice(0, 12)}`, freight: { name, origin }, sha, environment: stage, state: "success" });
    await deploy("prod", "c".repeat(40));
    // 130 newer deployments: dev, and another tool deploying to its own environment, push prod off the first page.
    for (let i = 0; i < 65; i++) {
      await deploy("dev", i.toString(16).padStart(40, "0"));
      await sb.octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment: "preview", required_contexts: [], auto_merge: false });
    }
    const stages = [{ name: "dev", environment: "dev" }, { name: "prod", environment: "prod" }];
    const deployments = await readStageDeployments(sb.octokit, repo, "guestbook", stages);
    expect(deployments.get("prod")?.freight.name).toBe("c".repeat(40));
    expect(deployments.get("dev")?.freight.name).toBe((64).toString(16).padStart(40, "0"));
  });
});
