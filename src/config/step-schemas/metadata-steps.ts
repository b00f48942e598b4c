import { z } from "zod";
import { text } from "./config-values.js";

export const METADATA_STEP_SCHEMAS = {
  "compose-output": z.record(z.string(), z.unknown()),
  "set-metadata": z.strictObject({
    updates: z.array(z.strictObject({ kind: z.enum(["Stage", "Freight"]), name: text, values: z.record(z.string(), z.unknown()) })).min(1),
  }),
  "set-freight-alias": z.strictObject({ freightID: text.optional(), newAlias: text }),
  fail: z.strictObject({ message: z.string().optional() }),
};
