import { z } from "zod";
import { mergeYamlDocuments } from "../edits/merge-yaml-documents.js";
import { asStepFailure } from "../step-support/as-step-failure.js";
import { readTextFile } from "../step-support/read-text-file.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({ inFiles: z.array(z.string().min(1)).min(1), outFile: z.string().min(1), strict: z.boolean().default(false) });

/** Merges YAML files (later wins) into one; missing inputs are skipped unless strict. */
export const yamlMerge = defineStep({
  uses: "yaml-merge",
  config: schema,
  async run(config, env) {
    const files: { path: string; text: string }[] = [];
    for (const path of config.inFiles) {
      if (!(await env.workspace.exists(path))) {
        if (config.strict) throw new StepFailure(`input "${path}" does not exist (strict is on; turn it off to skip missing files)`);
        continue;
      }
      files.push({ path, text: await readTextFile(env.workspace, path) });
    }
    await env.workspace.writeFile(config.outFile, asStepFailure(() => mergeYamlDocuments(files)));
    return { phase: "Succeeded" };
  },
});
