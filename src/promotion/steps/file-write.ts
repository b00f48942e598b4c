import { z } from "zod";
import { defineStep } from "../step-definition.js";

/** Writes text to a file in the workspace, creating directories as needed. */
export const fileWrite = defineStep({
  uses: "file-write",
  config: z.strictObject({ path: z.string().min(1), contents: z.string() }),
  async run(config, env) {
    await env.workspace.writeFile(config.path, config.contents);
    return { phase: "Succeeded" };
  },
});
