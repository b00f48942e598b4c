import { z } from "zod";
import { defineStep } from "../step-definition.js";

/** Empties a checkout (keeping git's metadata) so the next steps can write it from scratch. */
export const gitClear = defineStep({
  uses: "git-clear",
  config: z.strictObject({ path: z.string().min(1) }),
  async run(config, env) {
    await env.workspace.clear(config.path);
    return { phase: "Succeeded" };
  },
});
