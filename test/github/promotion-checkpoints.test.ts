import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deriveCheckpointKey, formatCheckpoint, parseCheckpoint, promotionCheckName, readPromotionCheckpoint, writePromotionCheckpoint, type PromotionCheckpoint } from "../../src/github/promotion-checkpoints.js";
import type { PromotionState } from "../../src/promotion/index.js";
import { startPromotionSandbox, type PromotionSandbox } from "../promotion/support/github-sandbox.js";

const repo = { owner: "acme", repo: "gitops" };
const state = (extra: Partial<PromotionState> = {}): PromotionState => ({
  id: "guestbook/dev/aaaaaaaaaaaa",
  phase: "Running",
  currentStep: 2,
  steps: [
    { alias: "step-1", uses: "git-clone", phase: "Succeeded", continueOnError: false, errorCount: 0 },
    { alias: "open-pr", uses: "git-open-pr", phase: "Succeeded", continueOnError: false, errorCount: 0, outputs: { pr: { id: 7, url: "https://github.com/acme/gitops/pull/7" } } },
    { alias: "wait", uses: "git-wait-for-pr", phase: "Running", continueOnError: false, errorCount: 0 },
  ],
  effects: { freightAliases: {}, freightMetadata: {}, stageMetadata: {} },
  startedAt: "2026-11-22T10:00:00.000Z",
  ...extra,
});
const checkpoint = (extra: Partial<PromotionCheckpoint> = {}): PromotionCheckpoint => ({
  promotionId: "guestbook/dev/aaaaaaaaaaaa",
  project: "guestbook",
  stage: "dev",
  freight: { name: "a".repeat(40), alias: "brave-otter", origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.1.0" }] },
  actor: "alice",
  configSha: "c".repeat(40),
  state: state(),
  ...extra,
});

describe("promotion checkpoints", () => {
  it("round-trips through the text, which shows people the steps and hides the record", () => {
    const { text, complete } = formatCheckpoint(checkpoint());
    expect(complete).toBe(true);
    expect(text.split("\n").slice(0, 3)).toEqual(["| step | uses | phase |", "|---|---|---|", "| `step-1` | git-clone | Succeeded |"]);
    expect(parseCheckpoint(text)).toEqual(checkpoint());
  });

  it("keeps values that could end the HTML comment early from doing so", () => {
    const hostile = checkpoint({ actor: "x --> <script>", state: state({ message: "--><!-- stagecoach:checkpoint {} -->" }) });
    const { text } = formatCheckpoint(hostile);
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parseCheckpoint(text)).toEqual(hostile);
  });

  it("leaves out a workspace too big for a check run, and says the record is incomplete", () => {
    const big = checkpoint({ state: state({ workspace: { kind: "github-api", blob: "x".repeat(70_000) } }) });
    const { text, complete } = formatCheckpoint(big);
    expect(complete).toBe(false);
    expect(text.length).toBeLessThan(65_535);
    expect(parseCheckpoint(text)?.state.workspace).toBeUndefined();
  });

  it("is sealed with the App's key: unreadable in the check run, refused when changed, written with another key, or plain", () => {
    const key = deriveCheckpointKey("webhook secret");
    const secretive = checkpoint({ state: state({ steps: [{ alias: "call", uses: "http", phase: "Succeeded", continueOnError: false, errorCount: 0, outputs: { token: "s3cr3t-token" } }] }) });
    const { text } = formatCheckpoint(secretive, key);
    expect(text).not.toContain("s3cr3t-token");
    expect(text).not.toContain("alice");
    expect(parseCheckpoint(text, key)).toEqual(secretive);
    expect(parseCheckpoint(text, deriveCheckpointKey("rotated secret"))).toBeUndefined();
    const sealed = /sealed:([A-Za-z0-9+/=]+)/.exec(text)![1]!;
    const flipped = sealed.slice(0, 40) + (sealed[40] === "A" ? "B" : "A") + sealed.slice(41);
    expect(parseCheckpoint(text.replace(sealed, flipped), key)).toBeUndefined();
    // A plain record (anyone able to create check runs could write one) does not count when the App seals its own.
    expect(parseCheckpoint(formatCheckpoint(secretive).text, key)).toBeUndefined();
  });

  it("refuses damaged or foreign records", () => {
    expect(parseCheckpoint(undefined)).toBeUndefined();
    expect(parseCheckpoint("<!-- stagecoach:checkpoint {not json -->")).toBeUndefined();
    expect(parseCheckpoint(`<!-- stagecoach:checkpoint ${JSON.stringify({ ...checkpoint(), configSha: "main" })} -->`)).toBeUndefined();
    expect(parseCheckpoint(`<!-- stagecoach:checkpoint ${JSON.stringify({ ...checkpoint(), state: { phase: "Running" } })} -->`)).toBeUndefined();
  });

  describe("on GitHub", () => {
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
  });
});
