import { parseYaml } from "../edits/update-yaml-text.js";
import { defineParseStep } from "./parse-file.js";

/** Reads values out of a YAML file into step outputs. */
export const yamlParse = defineParseStep((text, file) => parseYaml(text, file).toJS());
