import { z } from "zod";
import type { JsonObject } from "../expressions/index.js";
import { defineStep } from "../step-definition.js";

/** Publishes its (evaluated) config as outputs, to name values for later steps. */
export const composeOutput = defineStep({
  uses: "compose-output",
  config: z.record(z.string(), z.unknown()),
  async run(config) {
    return { phase: "Succeeded", outputs: config as JsonObject };
  },
});
