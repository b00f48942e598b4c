/**
 * The outside world asked us to come back later (GitHub's rate limits with their reset time or
 * Retry-After, a service unavailable for longer than a worker should wait). It is not the step's
 * fault and does not count as a step error: the promotion stays where it is, and the job that
 * runs it schedules itself again at `retryAt` and says so where the person asking will look.
 */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";

  constructor(
    message: string,
    readonly retryAt: Date,
    /** Short words for people: "GitHub's secondary rate limit", "GitHub unavailable (502)". */
    readonly reason: string,
  ) {
    super(message);
  }
}
