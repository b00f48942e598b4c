import { z } from "zod";
import type { KeyUpdate } from "../edits/update-yaml-text.js";
import { defineStep } from "../step-definition.js";
import { asStepFailure } from "./as-step-failure.js";
import { readTextFile } from "./read-text-file.js";

const schema = z.strictObject({
  path: z.string().min(1),
  updates: z.array(z.strictObject({ key: z.string().min(1), value: z.unknown().refine((v) => v !== undefined, { message: "give the new value" }) })).min(1),
});

/** The shape shared by yaml-update, json-update and toml-update: edit keys of one file. */
export function defineUpdateStep<const Uses extends string>(uses: Uses, edit: (text: string, updates: KeyUpdate[], file: string) => string) {
  return defineStep({
    uses,
    config: schema,
    async run(config, env) {
      const text = await readTextFile(env.workspace, config.path);
      const updated = asStepFailure(() => edit(text, config.updates, config.path));
      if (updated !== text) await env.workspace.writeFile(config.path, updated);
      const summary = config.updates.map((u) => `${u.key}=${typeof u.value === "string" ? u.value : JSON.stringify(u.value)}`).join(", ");
      return { phase: "Succeeded", outputs: { commitMessage: `Updated ${config.path}: ${summary}` } };
    },
  });
}
