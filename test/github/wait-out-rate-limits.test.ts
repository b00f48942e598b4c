import { describe, expect, it } from "vitest";
import { classifyGitHubBusy, throttleAnswers, waitOutRateLimits } from "../../src/github/wait-out-rate-limits.js";
import { RetryLaterError } from "../../src/promotion/retry-later-error.js";
import { createSilentLogger } from "../../src/log.js";

const now = new Date("2026-12-03T12:00:00Z");
const answer = (status: number, headers: Record<string, string> = {}, message = "") => Object.assign(new Error(message), { status, response: { headers } });

describe("classifyGitHubBusy", () => {
  it("reads how long GitHub asks to wait from its own headers", () => {
    expect(classifyGitHubBusy(answer(403, { "retry-after": "3" }, "You have exceeded a secondary rate limit"), now, 0)).toEqual({ waitMs: 3000, reason: "GitHub's secondary rate limit" });
    const reset = String(now.getTime() / 1000 + 120);
    expect(classifyGitHubBusy(answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), now, 0)).toEqual({ waitMs: 121_000, reason: "GitHub's API rate limit for this installation" });
    expect(classifyGitHubBusy(answer(403, {}, "You have exceeded a secondary rate limit"), now, 0)?.waitMs).toBe(60_000);
    expect(classifyGitHubBusy(answer(502), now, 2)).toEqual({ waitMs: 4000, reason: "GitHub unavailable (502)" });
  });

  it("leaves every other answer alone: a permission 403, a 404, a 422", () => {
    for (const error of [answer(403, {}, "Resource not accessible by integration"), answer(404), answer(422), new Error("socket hang up")]) expect(classifyGitHubBusy(error, now, 0)).toBeUndefined();
  });
});

describe("waitOutRateLimits", () => {
  const hookable = () => {
    let wrapper: ((request: (o: object) => Promise<unknown>, o: object) => Promise<unknown>) | undefined;
    return { hook: { wrap: (_name: "request", w: never) => void (wrapper = w) }, call: (request: (o: object) => Promise<unknown>) => wrapper!(request, { method: "POST", url: "/repos/{owner}/{repo}/pulls" }) };
  };
  const clock = (waits: number[]) => ({ now: () => now, sleep: async (ms: number) => void waits.push(ms) });

  it("waits what GitHub asks and tries again, within the inline budget", async () => {
    const octokit = hookable();
    const waits: number[] = [];
    waitOutRateLimits(octokit, { clock: clock(waits), log: createSilentLogger() });
    let calls = 0;
    const result = await octokit.call(async () => (++calls < 3 ? Promise.reject(answer(403, { "retry-after": "1" }, "secondary rate limit")) : "created"));
    expect([result, calls, waits]).toEqual(["created", 3, [1000, 1000]]);
  });

  it("hands a longer wait back to the job as a RetryLaterError with the time to come back", async () => {
    const octokit = hookable();
    waitOutRateLimits(octokit, { clock: clock([]), log: createSilentLogger() });
    const error = await octokit.call(async () => Promise.reject(answer(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now.getTime() / 1000 + 600) }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAt.toISOString()).toBe("2026-12-03T12:10:01.000Z");
  });
});

describe("throttleAnswers", () => {
  it("retries short waits inline and hands long ones back instead of holding a worker until the reset", () => {
    const { onRateLimit, onSecondaryRateLimit } = throttleAnswers(createSilentLogger());
    expect(onSecondaryRateLimit(2, { method: "POST", url: "/x", request: { retryCount: 0 } })).toBe(true);
    expect(onSecondaryRateLimit(2, { method: "POST", url: "/x", request: { retryCount: 2 } })).toBe(false);
    expect(onRateLimit(3_000, { method: "GET", url: "/x", request: { retryCount: 0 } })).toBe(false);
  });
});
