import { parseToml } from "../edits/update-toml-text.js";
import { defineParseStep } from "./parse-file.js";

/** Reads values out of a TOML file into step outputs. */
export const tomlParse = defineParseStep(parseToml);
