import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

/** Copies a file or a directory inside the workspace. */
export const copy = defineStep({
  uses: "copy",
  config: z.strictObject({
    inPath: z.string().min(1),
    outPath: z.string().min(1),
    // Ignored: everything under inPath is copied.
    ignore: z.string().optional(),
  }),
  async run(config, env) {
    if (!(await env.workspace.exists(config.inPath))) throw new StepFailure(`inPath "${config.inPath}" does not exist in the workspace`);
    const files = await env.workspace.listFiles(config.inPath);
    for (const file of files) {
      const from = file === "" ? config.inPath : `${config.inPath}/${file}`;
      const to = file === "" ? config.outPath : `${config.outPath}/${file}`;
      await env.workspace.writeFile(to, await env.workspace.readFile(from));
    }
    return { phase: "Succeeded", outputs: { files: files.length } };
  },
});
