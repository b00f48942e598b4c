import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import { RetryLaterError } from "../promotion/retry-later-error.js";

/** A GitHub answer that says "not now": how long to wait, and in words a person understands. */
export interface GitHubBusy {
  waitMs: number;
  reason: string;
}

/** GitHub's advice for a secondary limit without Retry-After: wait at least a minute. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000;
const UNAVAILABLE = new Set([500, 502, 503, 504]);
/** Waits for an unavailable GitHub grow 1 s, 2 s, 4 s…; the retry plugin already tried a few times. */
const UNAVAILABLE_BASE_MS = 1_000;

interface ErrorShape {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * Whether an error is GitHub asking to wait (primary or secondary rate limit, Retry-After) or
 * being briefly unavailable, and for how long, from the answer's own headers.
 */
export function classifyGitHubBusy(error: unknown, now: Date, attempt: number): GitHubBusy | undefined {
  const { status, message = "", response } = (error ?? {}) as ErrorShape;
  if (status === undefined) return undefined;
  const headers = response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (status === 403 || status === 429) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return { waitMs: retryAfter * 1000, reason: /secondary/i.test(message) ? "GitHub's secondary rate limit" : "GitHub's rate limit (Retry-After)" };
    if (String(headers["x-ratelimit-remaining"]) === "0") {
      const reset = Number(headers["x-ratelimit-reset"]) * 1000;
      return { waitMs: Number.isFinite(reset) ? Math.max(0, reset - now.getTime()) + 1_000 : SECONDARY_DEFAULT_WAIT_MS, reason: "GitHub's API rate limit for this installation" };
    }
    if (/secondary rate limit|abuse/i.test(message)) return { waitMs: SECONDARY_DEFAULT_WAIT_MS, reason: "GitHub's secondary rate limit" };
    if (status === 429) return { waitMs: SECONDARY_DEFAULT_WAIT_MS, reason: "GitHub's rate limit (429)" };
    return undefined;
  }
  if (UNAVAILABLE.has(status)) return { waitMs: UNAVAILABLE_BASE_MS * 2 ** Math.min(attempt, 6), reason: `GitHub unavailable (${status})` };
  return undefined;
}

export interface WaitOutOptions {
  clock: Clock;
  log: Logger;
  /** How long one call may wait in all before it gives the wait back to the job (RetryLaterError). */
  inlineBudgetMs?: number;
  /** Retries of one call before giving up on an unavailable GitHub. */
  maxAttempts?: number;
}

export const DEFAULT_INLINE_BUDGET_MS = 20_000;
const DEFAULT_MAX_ATTEMPTS = 6;

type RequestWrapper = (request: (options: object) => Promise<unknown>, options: object) => Promise<unknown>;
/** An Octokit's hook collection, as far as this needs it (its own types are generic over every hook). */
interface Hookable {
  hook: { wrap(name: "request", wrapper: never): void };
}

/**
 * Every GitHub call of the App waits out what GitHub asks it to wait (Retry-After, the rate
 * limit's reset, a short outage) and tries again, within a budget; a longer wait becomes a
 * RetryLaterError, so the job reschedules itself instead of holding a worker, and nothing is lost.
 * Installed as the outermost request hook, after Octokit's own retry and throttling plugins.
 */
export function waitOutRateLimits<T extends Hookable>(octokit: T, options: WaitOutOptions): T {
  const budget = options.inlineBudgetMs ?? DEFAULT_INLINE_BUDGET_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const wrapper: RequestWrapper = async (request, requestOptions) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const busy = classifyGitHubBusy(error, options.clock.now(), attempt);
        if (!busy) throw error;
        const { method, url } = requestOptions as { method?: string; url?: string };
        if (waited + busy.waitMs > budget || attempt + 1 >= maxAttempts) {
          const retryAt = new Date(options.clock.now().getTime() + busy.waitMs);
          throw new RetryLaterError(`${method ?? "?"} ${url ?? "?"}: ${busy.reason}; try again at ${retryAt.toISOString()}`, retryAt, busy.reason);
        }
        options.log.warn({ method, url, waitMs: busy.waitMs, attempt: attempt + 1 }, `${busy.reason}: waiting ${Math.ceil(busy.waitMs / 1000)} s before trying ${method} ${url} again`);
        waited += busy.waitMs;
        await options.clock.sleep(busy.waitMs);
      }
    }
  };
  octokit.hook.wrap("request", wrapper as never);
  return octokit;
}

/** The throttling plugin waits inline at most this long for a rate limit; longer waits go back to the job. */
const PLUGIN_INLINE_WAIT_S = 10;

/**
 * What @octokit/plugin-throttling does when GitHub says "rate limited": Probot's defaults wait
 * until the limit resets (up to an hour, holding a worker) for primary limits and never retry
 * secondary ones. Here both are retried inline when the wait is short, and otherwise handed to
 * waitOutRateLimits, which turns them into a RetryLaterError the job reschedules.
 */
export function throttleAnswers(log: Logger) {
  const answer = (kind: string) => (retryAfter: number, options: { method?: string; url?: string; request?: { retryCount?: number } }) => {
    const retry = retryAfter <= PLUGIN_INLINE_WAIT_S && (options.request?.retryCount ?? 0) < 2;
    log.warn({ method: options.method, url: options.url, retryAfter }, `${kind} on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s` : "handing the wait back to the job"}`);
    return retry;
  };
  return { onRateLimit: answer("GitHub's rate limit"), onSecondaryRateLimit: answer("GitHub's secondary rate limit") };
}
