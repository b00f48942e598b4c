import { StepFailure } from "../step-failure.js";

/** Runs a pure file edit; its errors (bad YAML, a missing key) are the user's to fix, not retried. */
export function asStepFailure<T>(edit: () => T): T {
  try {
    return edit();
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw new StepFailure((error as Error).message);
  }
}
