import { parseToml } from "../edits/update-toml-text.js";
import { defineParseStep } from "../step-support/define-parse-step.js";

/** Reads values out of a TOML file into step outputs. */
export const tomlParse = defineParseStep("toml-parse", parseToml);
