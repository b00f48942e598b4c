import { parseJson } from "../edits/update-json-text.js";
import { defineParseStep } from "./parse-file.js";

/** Reads values out of a JSON file into step outputs. */
export const jsonParse = defineParseStep(parseJson);
