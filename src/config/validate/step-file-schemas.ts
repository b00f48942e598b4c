import type { z } from "zod";
import { STEPS } from "../../promotion/steps/index.js";
import { allowExpressions } from "./allow-expressions.js";

const derived = new Map<string, z.ZodType>();

/**
 * The `config` of a built-in step as a pipeline file may write it: the step's own schema with
 * `${{ }}` allowed in every value (derived once per step). Undefined for a name with no step.
 */
export function stepFileSchema(uses: string): z.ZodType | undefined {
  const step = Object.hasOwn(STEPS, uses) ? STEPS[uses] : undefined;
  if (!step) return undefined;
  let schema = derived.get(uses);
  if (!schema) {
    schema = allowExpressions(step.config);
    derived.set(uses, schema);
  }
  return schema;
}
