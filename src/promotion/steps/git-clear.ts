import { z } from "zod";
import { defineStep } from "./step.js";

/** Empties a checkout (keeping git's metadata) so the next steps can write it from scratch. */
export const gitClear = defineStep(z.object({ path: z.string().min(1) }), async (config, env) => {
  await env.workspace.clear(config.path);
  return { phase: "Succeeded" };
});
