import { z } from "zod";
import { defineStep } from "../step-definition.js";

/** Tags the checkout's current commit (git-push with `tag` publishes it). */
export const gitTag = defineStep({
  uses: "git-tag",
  config: z.strictObject({ path: z.string().min(1), tag: z.string().regex(/^[^\s~^:?*[\\]+$/, "not a valid git tag name"), message: z.string().optional() }),
  async run(config, env) {
    const result = await env.workspace.tag(config.path, config.tag, config.message);
    return { phase: "Succeeded", outputs: result };
  },
});
