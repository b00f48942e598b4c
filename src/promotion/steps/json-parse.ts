import { parseJson } from "../edits/update-json-text.js";
import { defineParseStep } from "../step-support/define-parse-step.js";

/** Reads values out of a JSON file into step outputs. */
export const jsonParse = defineParseStep("json-parse", parseJson);
