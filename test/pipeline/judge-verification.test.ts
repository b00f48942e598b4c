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

describe("judgeVerification with probes, soak and timeout", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it("keeps asking a probe that has not answered as expected, and passes once it does", () => {
    const down = { url: "https://dev.example.com/healthz", passed: false, detail: "answered 503, expected 2xx" };
    expect(judgeVerification(undefined, [], [down], { now, timeoutAt: at(30) })).toEqual({ outcome: "pending", lines: ["- probe https://dev.example.com/healthz: answered 503, expected 2xx (asking again)"] });
    expect(judgeVerification(undefined, [], [{ ...down, passed: true, detail: "answered 200" }], { now, timeoutAt: at(30) }).outcome).toBe("passed");
  });

  it("holds a green verification until the soak time is over", () => {
    const soaking = judgeVerification(workflow("completed", "success"), [], [], { now, soakUntil: at(10), timeoutAt: at(70) });
    expect(soaking).toEqual({ outcome: "pending", lines: ["- workflow `smoke.yml`: success", "- soak: running until 2026-12-02T10:10:00.000Z (10 min left)"] });
    expect(judgeVerification(workflow("completed", "success"), [], [], { now: at(10), soakUntil: at(10), timeoutAt: at(70) }).outcome).toBe("passed");
  });

  it("does not wait out the soak for a failure", () => {
    expect(judgeVerification(workflow("completed", "failure"), [], [], { now, soakUntil: at(10) }).outcome).toBe("failed");
  });

  it("fails at the timeout, naming everything it was still waiting for", () => {
    const judgement = judgeVerification(workflow("in_progress", null), [{ name: "ci/e2e", state: "pending" }], [{ url: "https://x.example/ok", passed: false, detail: "connection refused" }], { now: at(60), timeoutAt: at(60) });
    expect(judgement.outcome).toBe("failed");
    expect(judgement.lines.at(-1)).toBe("- timed out at 2026-12-02T11:00:00.000Z still waiting for workflow `smoke.yml`, check `ci/e2e`, probe https://x.example/ok (`github.verify.timeout`)");
  });
});
