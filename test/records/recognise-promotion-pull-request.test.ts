import { describe, expect, it } from "vitest";
import { formatMetadata, type PromotionMetadata } from "../../src/records/promotion-metadata.js";
import { recognisePromotionPullRequest, type PullRequestFacts } from "../../src/records/recognise-promotion-pull-request.js";

const KEY = "the App's metadata key";
const metadata: PromotionMetadata = {
  project: "guestbook",
  stage: "prod",
  freight: "f".repeat(40),
  warehouse: "app",
  promotion: "guestbook/prod/ffffffffffff",
  repository: "acme/gitops",
  branch: "stagecoach/promotion/guestbook/prod/ffffffffffff",
};
const trust = { metadataKey: KEY, repository: "acme/gitops", botLogin: "stagecoach[bot]" };
const pull = (changes: Partial<PullRequestFacts> = {}): PullRequestFacts => ({
  number: 7,
  body: `Promote it.\n\n${formatMetadata(metadata, KEY)}\n`,
  user: { login: "stagecoach[bot]", type: "Bot" },
  head: { ref: metadata.branch, repo: { full_name: "acme/gitops" } },
  base: { repo: { full_name: "acme/gitops" } },
  ...changes,
});

describe("recognisePromotionPullRequest", () => {
  it("recognises a pull request the App's bot opened from this repository with the block it signed", () => {
    expect(recognisePromotionPullRequest(pull(), trust)).toEqual({ ok: true, metadata });
    // Repository names are case-insensitive on GitHub.
    expect(recognisePromotionPullRequest(pull({ base: { repo: { full_name: "Acme/GitOps" } }, head: { ref: metadata.branch, repo: { full_name: "ACME/gitops" } } }), trust)).toMatchObject({ ok: true });
  });

  it.each([
    ["a person's pull request from a branch named like a promotion", { user: { login: "mallory", type: "User" } }, "opened by mallory"],
    ["another App's bot", { user: { login: "evil-app[bot]", type: "Bot" } }, "opened by evil-app[bot]"],
    ["a fork's pull request", { head: { ref: metadata.branch, repo: { full_name: "mallory/gitops" } } }, "another repository (mallory/gitops)"],
    ["a deleted fork", { head: { ref: metadata.branch, repo: null } }, "a deleted fork"],
    ["a deleted account", { user: null }, "a deleted account"],
    ["no metadata block", { body: "Please merge" }, "No `<!-- stagecoach:metadata"],
    ["an unsigned block", { body: formatMetadata(metadata) }, "was changed after Stagecoach wrote it"],
    ["a block signed with another key", { body: formatMetadata(metadata, "another App") }, "was changed after Stagecoach wrote it"],
    ["an edited block", { body: formatMetadata(metadata, KEY).replace('"stage":"prod"', '"stage":"dev"') }, "was changed after Stagecoach wrote it"],
    ["a signed block copied onto another branch", { head: { ref: "stagecoach/promotion/guestbook/prod/000000000000", repo: { full_name: "acme/gitops" } } }, "opened elsewhere"],
  ])("refuses %s", (_what, changes, reason) => {
    const result = recognisePromotionPullRequest(pull(changes as Partial<PullRequestFacts>), trust);
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toContain(reason);
  });

  it("refuses a signed block copied into another repository of the installation", () => {
    const elsewhere = { ...trust, repository: "acme/other" };
    const copied = pull({ head: { ref: metadata.branch, repo: { full_name: "acme/other" } }, base: { repo: { full_name: "acme/other" } } });
    expect(recognisePromotionPullRequest(copied, elsewhere)).toMatchObject({ ok: false, reason: expect.stringContaining("opened elsewhere (acme/gitops") });
  });

  it("checks only the author's type when the bot login is not known (a webhook handler), and the login when it is", () => {
    const { botLogin: _b, ...withoutLogin } = trust;
    expect(recognisePromotionPullRequest(pull({ user: { login: "evil-app[bot]", type: "Bot" } }), withoutLogin)).toMatchObject({ ok: true });
    expect(recognisePromotionPullRequest(pull({ user: { login: "mallory", type: "User" } }), withoutLogin)).toMatchObject({ ok: false });
  });
});
