import type { PromotionState } from "../../../src/promotion/index.js";
import type { PromotionCheckpoint } from "../../../src/records/promotion-checkpoint.js";

/** A promotion waiting at `git-wait-for-pr` after opening pull request #7. */
export const state = (extra: Partial<PromotionState> = {}): PromotionState => ({
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

export const checkpoint = (extra: Partial<PromotionCheckpoint> = {}): PromotionCheckpoint => ({
  promotionId: "guestbook/dev/aaaaaaaaaaaa",
  project: "guestbook",
  stage: "dev",
  freight: { name: "a".repeat(40), alias: "brave-otter", origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.1.0" }] },
  actor: "alice",
  configSha: "c".repeat(40),
  state: state(),
  ...extra,
});
