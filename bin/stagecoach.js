#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the "prepare" script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error("stagecoach: dist/ is missing. Run `npm ci` (or `npm run build`) in the project first.");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
