import { z } from "zod";
import { defineStep, StepFailure } from "./step.js";

/** Ends the promotion as Failed with a message (used with `if:` to guard a pipeline). */
export const fail = defineStep(z.object({ message: z.string().default("the fail step was reached") }), async (config) => {
  throw new StepFailure(config.message);
});
