import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

/** Ends the promotion as Failed with a message (used with `if:` to guard a pipeline). */
export const fail = defineStep({
  uses: "fail",
  config: z.strictObject({ message: z.string().default("the fail step was reached") }),
  async run(config) {
    throw new StepFailure(config.message);
  },
});
