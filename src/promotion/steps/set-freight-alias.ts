import { z } from "zod";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({ freightID: z.string().min(1).optional(), newAlias: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use lowercase letters, digits and dashes") });

/** Gives a freight (the one being promoted by default) a new alias; applied by the caller. */
export const setFreightAlias = defineStep({
  uses: "set-freight-alias",
  config: schema,
  async run(config, env) {
    const freight = config.freightID ?? env.promotion.freight[0]?.name;
    if (!freight) throw new StepFailure("no freight to name: set freightID");
    env.effects.freightAliases[freight] = config.newAlias;
    return { phase: "Succeeded", outputs: { freightID: freight, alias: config.newAlias } };
  },
});
