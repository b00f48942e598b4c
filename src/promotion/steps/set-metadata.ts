import { z } from "zod";
import type { JsonObject } from "../expressions/index.js";
import { defineStep } from "../step-definition.js";

const schema = z.strictObject({
  updates: z.array(z.strictObject({ kind: z.enum(["Stage", "Freight"]), name: z.string().min(1), values: z.record(z.string(), z.unknown()) })).min(1),
});

/** Records metadata on a stage or a freight (read back with stageMetadata()/freightMetadata()). */
export const setMetadata = defineStep({
  uses: "set-metadata",
  config: schema,
  async run(config, env) {
    for (const update of config.updates) {
      const table = update.kind === "Stage" ? env.effects.stageMetadata : env.effects.freightMetadata;
      table[update.name] = { ...(table[update.name] ?? {}), ...(update.values as JsonObject) };
    }
    return { phase: "Succeeded" };
  },
});
