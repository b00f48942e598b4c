import { parseYaml } from "../edits/update-yaml-text.js";
import { defineParseStep } from "../step-support/define-parse-step.js";

/** Reads values out of a YAML file into step outputs. */
export const yamlParse = defineParseStep("yaml-parse", (text, file) => parseYaml(text, file).toJS());
