import { z } from "zod";
import { asStepFailure } from "./as-step-failure.js";
import { evaluateOutputs, toScope } from "./evaluate-outputs.js";
import { readTextFile } from "./read-text-file.js";
import { defineStep, type StepDefinition } from "./step.js";

const schema = z.object({
  path: z.string().min(1),
  outputs: z.array(z.object({ name: z.string().min(1), fromExpression: z.string().min(1) })).min(1),
});

/** The shape shared by yaml-parse, json-parse and toml-parse: read values out of one file. */
export function defineParseStep(parse: (text: string, file: string) => unknown): StepDefinition<z.output<typeof schema>> {
  return defineStep(schema, async (config, env) => {
    const text = await readTextFile(env.workspace, config.path);
    const data = asStepFailure(() => parse(text, config.path));
    return { phase: "Succeeded", outputs: evaluateOutputs(config.outputs, toScope(data), env) };
  });
}
