import { z } from "zod";
import { asStepFailure } from "./as-step-failure.js";
import { readTextFile } from "./read-text-file.js";
import { defineStep, type StepDefinition } from "./step.js";
import type { KeyUpdate } from "../edits/update-yaml-text.js";

const schema = z.object({
  path: z.string().min(1),
  updates: z.array(z.object({ key: z.string().min(1), value: z.unknown() })).min(1),
});

/** The shape shared by yaml-update, json-update and toml-update: edit keys of one file. */
export function defineUpdateStep(edit: (text: string, updates: KeyUpdate[], file: string) => string): StepDefinition<z.output<typeof schema>> {
  return defineStep(schema, async (config, env) => {
    const text = await readTextFile(env.workspace, config.path);
    const updated = asStepFailure(() => edit(text, config.updates, config.path));
    if (updated !== text) await env.workspace.writeFile(config.path, updated);
    const summary = config.updates.map((u) => `${u.key}=${typeof u.value === "string" ? u.value : JSON.stringify(u.value)}`).join(", ");
    return { phase: "Succeeded", outputs: { commitMessage: `Updated ${config.path}: ${summary}` } };
  });
}
