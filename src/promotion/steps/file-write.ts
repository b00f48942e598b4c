import { z } from "zod";
import { defineStep } from "./step.js";

/** Writes text to a file in the workspace, creating directories as needed. */
export const fileWrite = defineStep(z.object({ path: z.string().min(1), contents: z.string() }), async (config, env) => {
  await env.workspace.writeFile(config.path, config.contents);
  return { phase: "Succeeded" };
});
