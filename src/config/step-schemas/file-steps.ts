import { z } from "zod";
import { count, flag, text } from "./config-values.js";

const updates = z.strictObject({
  path: text,
  updates: z.array(z.strictObject({ key: text, value: z.unknown().refine((v) => v !== undefined, { message: "give the new value" }) })).min(1),
});
const parse = z.strictObject({ path: text, outputs: z.array(z.strictObject({ name: text, fromExpression: text })).min(1) });

export const FILE_STEP_SCHEMAS = {
  "yaml-update": updates,
  "json-update": updates,
  "toml-update": updates,
  "yaml-parse": parse,
  "json-parse": parse,
  "toml-parse": parse,
  "yaml-merge": z.strictObject({ inFiles: z.array(text).min(1), outFile: text, strict: flag.optional() }),
  copy: z.strictObject({ inPath: text, outPath: text, ignore: z.string().optional() }),
  delete: z.strictObject({ path: text, strict: flag.optional() }),
  "file-write": z.strictObject({ path: text, contents: z.string() }),
  tar: z.strictObject({ path: text, outPath: text, ignore: z.string().optional() }),
  untar: z.strictObject({ inPath: text, outPath: text, ignore: z.string().optional(), stripComponents: count.optional() }),
};
