import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import type { RepositoryStatus } from "../../../src/cli/read-repository-status.js";
import { recordDeployment } from "../../../src/github/deployments.js";
import { recordManualApproval } from "../../../src/github/freight-approvals.js";
import { recordFreight } from "../../../src/github/freight-records.js";
import { verifyCheckName } from "../../../src/github/freight-status.js";
import { createRef } from "../../../src/github/git-data.js";
import type { InstallationOctokit } from "../../../src/github/installations.js";
import { LAST_GOOD_CONFIG_REF } from "../../../src/github/last-good-config.js";
import type { FreightRecord } from "../../../src/freight/types.js";
import { promotionBranchName } from "../../../src/promotion/promotion-branch.js";
import { formatMetadata } from "../../../src/records/promotion-metadata.js";
import { guestbookConfig, guestbookFiles } from "../../support/e2e.js";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
const origin = { kind: "Warehouse", name: "app" };
const image = (tag: string) => ({ repoURL: "ghcr.io/acme/app", tag, digest: `sha256:${tag.replace(/\D/g, "").padEnd(64, "0")}` });
const STAGES = `
  - name: dev
    from: app
    autoPromote: true
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
  - name: uat
    from: dev
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
  - name: prod
    from: uat
    kustomize: { path: env/prod, image: ghcr.io/acme/app }
`;

let t: TestSandbox;
let app: Octokit;
let reader: { token: string };
let configSha = "";
let older: FreightRecord;
let newer: FreightRecord;
let promotionPull = 0;
let lookAlikePull = 0;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const status = (...extra: string[]) => {
  const captured = capture();
  return main(["status", "--repo", "acme/gitops", "--token", reader.token, "--api-url", t.sandbox.url, ...extra], captured.io).then((code) => ({ code, ...captured }));
};

/**
 * acme/gitops as the App leaves it: the adopted config, two freight, dev running the newer one
 * (verified), uat the older one (verified there, held), prod nothing yet but the older freight
 * approved for it by hand; an open promotion of the newer freight into uat, and a person's pull
 * request from a branch named like a promotion.
 */
beforeAll(async () => {
  t = await startTestSandbox();
  t.sandbox.createOrg("acme");
  await t.sandbox.createRepo("acme", "gitops", { files: guestbookFiles(guestbookConfig(STAGES), ["dev", "uat", "prod"]) });
  reader = t.sandbox.createUser("reader");
  t.sandbox.setPermission("acme", "gitops", "reader", "read");
  app = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
  configSha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
  await createRef(app, repo, LAST_GOOD_CONFIG_REF, configSha);

  older = (await recordFreight(app, repo, "guestbook", { origin, images: [image("1.0.0")], createdAt: "2026-11-20T10:00:00.000Z" })).freight;
  newer = (await recordFreight(app, repo, "guestbook", { origin, images: [image("1.1.0")], createdAt: "2026-11-21T10:00:00.000Z" })).freight;
  const verify = (freight: FreightRecord, stage: string) =>
    app.rest.checks.create({ ...repo, head_sha: freight.commit!, name: verifyCheckName(stage), status: "completed", conclusion: "success", completed_at: "2026-11-21T12:00:00Z" });
  await verify(older, "dev");
  await verify(older, "uat");
  await verify(newer, "dev");
  await recordManualApproval(app as unknown as InstallationOctokit, repo, older.commit!, "prod", "carol", older.alias);
  const deploy = (stage: string, freight: FreightRecord, extra: object = {}) =>
    recordDeployment(app as unknown as InstallationOctokit, repo, { project: "guestbook", stage, promotionId: `guestbook/${stage}/${freight.name.slice(0, 12)}`, freight, sha: configSha, environment: stage, state: "success", ...extra });
  await deploy("uat", older, { hold: { since: "2026-11-21T13:00:00Z", reason: "@carol rolled uat back" } });
  await deploy("dev", newer);

  const promotion = `guestbook/uat/${newer.name.slice(0, 12)}`;
  const branch = promotionBranchName(promotion);
  await t.sandbox.pushCommit({ ...repo, branch, files: { "env/uat/kustomization.yaml": "images: [{ name: ghcr.io/acme/app, newTag: 1.1.0 }]\n" }, message: "uat to 1.1.0", author: "acme" });
  const metadata = formatMetadata({ project: "guestbook", stage: "uat", freight: newer.name, alias: newer.alias, warehouse: "app", promotion, repository: "acme/gitops", branch }, "the-app-key");
  ({ data: { number: promotionPull } } = await app.rest.pulls.create({ ...repo, head: branch, base: "main", title: `Promote ${newer.alias} to uat`, body: `Promotes.\n\n${metadata}\n` }));

  const lookAlike = "stagecoach/promotion/guestbook/prod/0123456789ab";
  await t.sandbox.pushCommit({ ...repo, branch: lookAlike, files: { "env/prod/kustomization.yaml": "images: []\n" }, message: "prod", author: "mallory" });
  lookAlikePull = await t.sandbox.openPullRequest({ ...repo, head: lookAlike, base: "main", title: "Promote to prod", author: "mallory" });
  await t.sandbox.pushCommit({ ...repo, branch: "feature", files: { "README.md": "x\n" }, message: "feature", author: "mallory" });
  await t.sandbox.openPullRequest({ ...repo, head: "feature", base: "main", title: "A feature", author: "mallory" });
});

afterAll(() => t.close());

describe("stagecoach status against GitHub", () => {
  it("prints each stage's freight, versions, marks and open promotions, then the freight, as tables", async () => {
    const { code, out, err } = await status("--app-id", String(t.app.id));
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const n = (f: FreightRecord) => f.name.slice(0, 7);
    const freightCell = (f: FreightRecord) => `${f.alias} (${n(f)})`;
    const width = Math.max(freightCell(older).length, freightCell(newer).length);
    const pull = `#${promotionPull} ${newer.alias} (unverified, by stagecoach-test[bot])`;
    const lookAlike = `#${lookAlikePull} (no metadata) (unverified, by mallory)`;
    const aliasWidth = Math.max(older.alias.length, newer.alias.length, 5);
    expect(out.join("\n")).toBe(
      [
        `acme/gitops · project guestbook · config ${configSha.slice(0, 7)} (the one the App runs)`,
        "",
        `STAGE  ${"FREIGHT".padEnd(width)}  VERSIONS                VERIFIED  APPROVED  OPEN PROMOTION`,
        `dev    ${freightCell(newer).padEnd(width)}  ghcr.io/acme/app:1.1.0  yes       no        -`,
        `uat    ${freightCell(older).padEnd(width)}  ghcr.io/acme/app:1.0.0  yes       no        ${pull}`,
        `prod   ${"-".padEnd(width)}  -                       -         -         ${lookAlike}`,
        "",
        "Auto-promotion is held on uat since 2026-11-21T13:00:00Z: @carol rolled uat back",
        "",
        "Freight, newest first:",
        "",
        `${"ALIAS".padEnd(aliasWidth)}  ID       CREATED                   VERSIONS                VERIFIED IN  APPROVED FOR  RUNNING IN`,
        `${newer.alias.padEnd(aliasWidth)}  ${n(newer)}  2026-11-21T10:00:00.000Z  ghcr.io/acme/app:1.1.0  dev          -             dev`,
        `${older.alias.padEnd(aliasWidth)}  ${n(older)}  2026-11-20T10:00:00.000Z  ghcr.io/acme/app:1.0.0  dev, uat     prod          uat`,
        "",
        "Open promotions are pull requests from stagecoach/promotion/… branches, read without the App's key: (unverified) labels, not proof.",
        `Verified and approved count only check runs of App ${t.app.id}.`,
      ].join("\n"),
    );
  });

  it("--json prints the same as one document", async () => {
    const { code, out } = await status("--json");
    expect(code).toBe(0);
    const parsed = JSON.parse(out.join("\n")) as RepositoryStatus;
    expect(parsed.config).toEqual({ source: "last-good", commit: configSha });
    expect(parsed.stages.map((s) => [s.name, s.running?.alias ?? null, s.verified, s.approved])).toEqual([
      ["dev", newer.alias, true, false],
      ["uat", older.alias, true, false],
      ["prod", null, false, false],
    ]);
    expect(parsed.stages[1]!.openPromotions).toEqual([{ number: promotionPull, url: expect.stringContaining(`/pull/${promotionPull}`), freight: newer.name, alias: newer.alias, author: "stagecoach-test[bot]", verified: false }]);
    expect(parsed.stages[2]!.openPromotions.map((p) => [p.number, p.author, p.freight])).toEqual([[lookAlikePull, "mallory", undefined]]);
    expect(parsed.freight.map((f) => [f.id, f.versions, f.verifiedIn, f.approvedFor, f.runningIn])).toEqual([
      [newer.name, ["ghcr.io/acme/app:1.1.0"], ["dev"], [], ["dev"]],
      [older.name, ["ghcr.io/acme/app:1.0.0"], ["dev", "uat"], ["prod"], ["uat"]],
    ]);
  });

  it("without --app-id says that any App's check runs with Stagecoach's names count; --limit cuts the freight list", async () => {
    const { code, out } = await status("--limit", "1");
    expect(code).toBe(0);
    expect(out.join("\n")).toContain("Verified and approved count check runs of any App with Stagecoach's names; give --app-id to count only your App's.");
    expect(out.join("\n")).toContain(newer.alias);
    expect(out.join("\n").split("Freight, newest first:")[1]).not.toContain(older.alias);
  });

  it("reads the token from GITHUB_TOKEN", async () => {
    const captured = capture();
    process.env.GITHUB_TOKEN = reader.token;
    try {
      expect(await main(["status", "--repo", "acme/gitops", "--api-url", t.sandbox.url, "--json"], captured.io)).toBe(0);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
    expect((JSON.parse(captured.out.join("\n")) as RepositoryStatus).project).toBe("guestbook");
  });
});

describe("stagecoach status when something is wrong", () => {
  it("asks for a token when there is none", async () => {
    const { io, err } = capture();
    delete process.env.GITHUB_TOKEN;
    expect(await main(["status", "--repo", "acme/gitops", "--api-url", t.sandbox.url], io)).toBe(2);
    expect(err).toEqual(["stagecoach status: give --token or set GITHUB_TOKEN: a token that can read the repository (contents, pull requests, deployments, checks)"]);
  });

  it("says a refused token is the problem", async () => {
    const { io, err } = capture();
    expect(await main(["status", "--repo", "acme/gitops", "--token", "ghu_wrong", "--api-url", t.sandbox.url], io)).toBe(1);
    expect(err).toEqual([`stagecoach status: ${t.sandbox.url} refused the token (401 Bad credentials): check --token or GITHUB_TOKEN, and --api-url for GitHub Enterprise`]);
  });

  it("says a repository it cannot see is not found with this token", async () => {
    const { io, err } = capture();
    expect(await main(["status", "--repo", "acme/nothing", "--token", reader.token, "--api-url", t.sandbox.url], io)).toBe(1);
    expect(err[0]).toMatch(/^stagecoach status: acme\/nothing was not found at .* with this token: check the name/);
  });

  it("says when a repository has no config, and that init writes one", async () => {
    await t.sandbox.createRepo("acme", "empty", { files: { "README.md": "empty\n" } });
    const { io, err } = capture();
    expect(await main(["status", "--repo", "acme/empty", "--token", reader.token, "--api-url", t.sandbox.url], io)).toBe(1);
    expect(err).toEqual(["stagecoach status: acme/empty has no .github/stagecoach.yml or .github/stagecoach/ on the default branch (main); `stagecoach init` writes one from a checkout"]);
  });

  it("reads the default branch's config before the App adopted one, and says so", async () => {
    await t.sandbox.createRepo("acme", "fresh", { files: guestbookFiles(guestbookConfig(STAGES, "fresh"), ["dev"]) });
    const { code, out } = await status("--repo", "acme/fresh");
    expect(code).toBe(0);
    expect(out.join("\n").split("\n")[0]).toBe("acme/fresh · project guestbook · config from main (the App has adopted none yet)");
    expect(out.join("\n")).toContain("No freight recorded yet (refs/stagecoach/freight/guestbook does not exist).");
  });

  it("refuses a malformed --repo", async () => {
    const { io, err } = capture();
    expect(await main(["status", "--repo", "acme", "--token", "x"], io)).toBe(2);
    expect(err[0]).toMatch(/^stagecoach status: give the repository as --repo OWNER\/REPO/);
  });
});
