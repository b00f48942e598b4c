import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

/** Deletes a file or directory; a missing path is fine unless strict. */
export const deletePath = defineStep({
  uses: "delete",
  config: z.strictObject({ path: z.string().min(1), strict: z.boolean().default(false) }),
  async run(config, env) {
    if (!(await env.workspace.exists(config.path))) {
      if (config.strict) throw new StepFailure(`"${config.path}" does not exist (strict is on)`);
      return { phase: "Succeeded" };
    }
    await env.workspace.remove(config.path);
    return { phase: "Succeeded" };
  },
});
