import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  path: z.string().min(1),
  message: z.string().min(1).optional(),
  messageFromSteps: z.array(z.string().min(1)).optional(),
  author: z
    .strictObject({
      name: z.string().min(1).optional(),
      email: z.string().min(1).optional(),
      // Ignored: commits are signed by GitHub as the App, never with a key from the pipeline.
      signingKey: z.string().min(1).optional(),
    })
    .optional(),
});

/**
 * Records the checkout's changes as one commit; no change means no commit. Without `message`,
 * the commitMessage outputs of the steps named in `messageFromSteps` are joined.
 */
export const gitCommit = defineStep({
  uses: "git-commit",
  config: schema,
  async run(config, env) {
    const fromSteps = (config.messageFromSteps ?? []).map((alias) => {
      const outputs = env.expressionContext.outputs?.[alias];
      const message = outputs && typeof outputs === "object" && !Array.isArray(outputs) ? outputs.commitMessage : undefined;
      if (typeof message !== "string") throw new StepFailure(`config.messageFromSteps: step "${alias}" has no commitMessage output`);
      return message;
    });
    const message = config.message ?? fromSteps.join("\n\n");
    if (!message) throw new StepFailure("config.message is missing: write a commit message or list steps in messageFromSteps", "Errored");
    const { signingKey: _ignored, ...identity } = config.author ?? {};
    const author = { ...env.services.committer, ...identity };
    const { commit } = await env.workspace.commit(config.path, message, author);
    return { phase: "Succeeded", outputs: { commit: commit ?? "", changed: commit !== undefined } };
  },
});
