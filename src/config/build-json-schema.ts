import { z } from "zod";
import { NativeConfigSchema } from "./native/native-schema.js";

/**
 * JSON Schema of `.github/stagecoach.yml`, generated from the zod schema (the truth), for editor
 * validation. `io: "input"` because users write inputs: fields with defaults are optional.
 */
export function buildJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(NativeConfigSchema, { io: "input", target: "draft-2020-12" }), title: "Stagecoach pipeline" };
}
