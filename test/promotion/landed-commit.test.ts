import { describe, expect, it } from "vitest";
import { landedCommit } from "../../src/promotion/landed-commit.js";
import type { PromotionState, StepRecord } from "../../src/promotion/types.js";

const step = (uses: string, phase: StepRecord["phase"], commit?: string): StepRecord => ({ alias: uses, uses, phase, continueOnError: false, errorCount: 0, ...(commit === undefined ? {} : { outputs: { commit } }) });
const state = (steps: StepRecord[]): PromotionState => ({ id: "p/s/f", phase: "Succeeded", currentStep: steps.length, steps, effects: { freightAliases: {}, freightMetadata: {}, stageMetadata: {} }, startedAt: "2026-01-01T00:00:00Z" });
const A = "a".repeat(40);
const B = "b".repeat(40);

describe("landedCommit", () => {
  it("is the merge commit of the pull request rather than the pushed branch commit", () => {
    expect(landedCommit(state([step("git-push", "Succeeded", A), step("git-open-pr", "Succeeded"), step("git-wait-for-pr", "Succeeded", B), step("argocd-update", "Succeeded")]))).toBe(B);
  });

  it("is the pushed commit when the stage takes direct pushes", () => {
    expect(landedCommit(state([step("git-commit", "Succeeded", B), step("git-push", "Succeeded", A)]))).toBe(A);
  });

  it("is nothing when no landing step succeeded with a commit", () => {
    expect(landedCommit(state([step("git-push", "Skipped", A), step("git-wait-for-pr", "Succeeded", ""), step("http", "Succeeded")]))).toBeUndefined();
  });
});
