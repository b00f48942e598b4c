/**
 * A failure that retrying cannot fix (bad input, a file missing, a PR closed unmerged). The step
 * ends Failed (or Errored for configuration mistakes) at once instead of being retried.
 */
export class StepFailure extends Error {
  readonly phase: "Failed" | "Errored";

  constructor(message: string, phase: "Failed" | "Errored" = "Failed") {
    super(message);
    this.name = "StepFailure";
    this.phase = phase;
  }
}
