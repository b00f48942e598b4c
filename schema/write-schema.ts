// Regenerates schema/stagecoach.schema.json from the zod schema: npx tsx schema/write-schema.ts
import { writeFileSync } from "node:fs";
import { buildJsonSchema } from "../src/config/build-json-schema.js";

writeFileSync(new URL("./stagecoach.schema.json", import.meta.url), `${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
