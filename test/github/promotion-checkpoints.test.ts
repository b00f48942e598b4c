import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promotionCheckName, readPromotionCheckpoint, writePromotionCheckpoint } from "../../src/github/promotion-checkpoints.js";
import { deriveCheckpointKey } from "../../src/records/promotion-checkpoint.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";
import { checkpoint, state } from "../records/support/promotion-checkpoints.js";
import { appJwt } from "../support/sandbox.js";

const repo = { owner: "acme", repo: "gitops" };

describe("promotion checkpoints on GitHub", () => {
  let sb: PromotionSandbox;
  beforeEach(async () => {
    sb = await startPromotionSandbox({ "README.md": "gitops\n" });
  });
  afterEach(() => sb.close());

  it("is written as a green check run on the pull request's head and read back, newest first, only from the App's own runs", async () => {
    const head = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    await writePromotionCheckpoint(sb.octokit, repo, head, checkpoint({ state: state({ currentStep: 1 }) }));
    await writePromotionCheckpoint(sb.octokit, repo, head, checkpoint());
    const { data } = await sb.octokit.rest.checks.listForRef({ ...repo, ref: head, check_name: promotionCheckName("dev") });
    expect(data.check_runs[0]).toMatchObject({ status: "completed", conclusion: "success", external_id: "guestbook/dev/aaaaaaaaaaaa" });
    expect(data.check_runs[0]?.output.title).toBe("brave-otter → dev: ready to merge");
    expect((await readPromotionCheckpoint(sb.octokit, repo, head, "dev", sb.test.app.id))?.state.currentStep).toBe(2);
    expect(await readPromotionCheckpoint(sb.octokit, repo, head, "prod", sb.test.app.id)).toBeUndefined();
    // Another App's ID finds nothing: only Stagecoach's own check runs are trusted.
    expect(await readPromotionCheckpoint(sb.octokit, repo, head, "dev", sb.test.app.id + 1000)).toBeUndefined();
  });

  it("passes over what it cannot trust — another App's newer run of that name, a damaged record — for the newest it can", async () => {
    const key = deriveCheckpointKey("webhook secret");
    const head = (await sb.test.sandbox.branchSha("acme", "gitops", "main"))!;
    await writePromotionCheckpoint(sb.octokit, repo, head, checkpoint({ state: state({ currentStep: 1 }) }), key);
    const impostor = sb.test.sandbox.registerApp({ name: "Impostor" });
    const installation = await sb.test.sandbox.installApp(impostor.id, "acme", ["gitops"]);
    const jwt = new Octokit({ baseUrl: sb.test.sandbox.url, auth: appJwt(impostor.id, impostor.privateKey) });
    const { data: token } = await jwt.rest.apps.createInstallationAccessToken({ installation_id: installation });
    // Even sealed with the App's own key (as if it leaked), a checkpoint in another App's check run does not count.
    await writePromotionCheckpoint(new Octokit({ baseUrl: sb.test.sandbox.url, auth: token.token }), repo, head, checkpoint({ state: state({ currentStep: 0 }) }), key);
    await sb.octokit.rest.checks.create({ ...repo, name: promotionCheckName("dev"), head_sha: head, status: "completed", conclusion: "success", output: { title: "damaged", summary: "damaged", text: "<!-- stagecoach:checkpoint sealed:AAAA -->" } });
    expect((await readPromotionCheckpoint(sb.octokit, repo, head, "dev", sb.test.app.id, key))?.state.currentStep).toBe(1);
    // Once the webhook secret is rotated, nothing is readable: the promotion is rebuilt from its pull request instead.
    expect(await readPromotionCheckpoint(sb.octokit, repo, head, "dev", sb.test.app.id, deriveCheckpointKey("rotated"))).toBeUndefined();
  });
});
