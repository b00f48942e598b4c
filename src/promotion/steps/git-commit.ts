import { z } from "zod";
import { defineStep } from "./step.js";

const schema = z.object({
  path: z.string().min(1),
  message: z.string().min(1),
  author: z.object({ name: z.string().min(1), email: z.string().min(1) }).optional(),
});

/** Records the checkout's changes as one commit; no change means no commit. */
export const gitCommit = defineStep(schema, async (config, env) => {
  const { commit } = await env.workspace.commit(config.path, config.message, config.author ?? env.services.committer);
  return { phase: "Succeeded", outputs: { commit: commit ?? "", changed: commit !== undefined } };
});
