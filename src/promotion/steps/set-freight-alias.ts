import { z } from "zod";
import { defineStep, StepFailure } from "./step.js";

const schema = z.object({ freightID: z.string().min(1).optional(), newAlias: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use lowercase letters, digits and dashes") });

/** Gives a freight (the one being promoted by default) a new alias; applied by the caller. */
export const setFreightAlias = defineStep(schema, async (config, env) => {
  const freight = config.freightID ?? env.promotion.freight[0]?.name;
  if (!freight) throw new StepFailure("no freight to name: set freightID");
  env.effects.freightAliases[freight] = config.newAlias;
  return { phase: "Succeeded", outputs: { freightID: freight, alias: config.newAlias } };
});
