import { describe, expect, it } from "vitest";
import { judgeVerification } from "../../src/pipeline/judge-verification.js";

const workflow = (status: string | null, conclusion: string | null) => ({ workflow: "smoke.yml", status, conclusion });

describe("judgeVerification", () => {
  it("passes with nothing configured, saying the merge is enough", () => {
    expect(judgeVerification(undefined, [])).toEqual({ outcome: "passed", lines: ["- nothing to verify is configured (`github.verify`): the merge is enough"] });
  });

  it("waits while the workflow runs or a check has not reported", () => {
    expect(judgeVerification(workflow("in_progress", null), []).outcome).toBe("pending");
    expect(judgeVerification(workflow("completed", "success"), [{ name: "ci/e2e", state: "pending" }])).toEqual({
      outcome: "pending",
      lines: ["- workflow `smoke.yml`: success", "- check `ci/e2e`: not finished yet"],
    });
  });

  it("fails as soon as one part fails, even with others still running", () => {
    expect(judgeVerification(workflow("queued", null), [{ name: "ci/e2e", state: "failure", detail: "timed_out" }])).toEqual({
      outcome: "failed",
      lines: ["- workflow `smoke.yml`: queued", "- check `ci/e2e`: timed_out"],
    });
    expect(judgeVerification(workflow("completed", "cancelled"), []).outcome).toBe("failed");
  });

  it("passes when every part passed; neutral and skipped workflows count as passing", () => {
    expect(judgeVerification(workflow("completed", "neutral"), [{ name: "a", state: "success" }]).outcome).toBe("passed");
  });
});
