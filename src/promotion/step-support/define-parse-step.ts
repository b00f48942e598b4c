import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { asStepFailure } from "./as-step-failure.js";
import { evaluateOutputs, toScope } from "./evaluate-outputs.js";
import { readTextFile } from "./read-text-file.js";

const schema = z.strictObject({
  path: z.string().min(1),
  outputs: z.array(z.strictObject({ name: z.string().min(1), fromExpression: z.string().min(1) })).min(1),
});

/** The shape shared by yaml-parse, json-parse and toml-parse: read values out of one file. */
export function defineParseStep<const Uses extends string>(uses: Uses, parse: (text: string, file: string) => unknown) {
  return defineStep({
    uses,
    config: schema,
    async run(config, env) {
      const text = await readTextFile(env.workspace, config.path);
      const data = asStepFailure(() => parse(text, config.path));
      return { phase: "Succeeded", outputs: evaluateOutputs(config.outputs, toScope(data), env) };
    },
  });
}
