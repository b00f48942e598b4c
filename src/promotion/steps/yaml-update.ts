import { updateYamlText } from "../edits/update-yaml-text.js";
import { defineUpdateStep } from "./update-file.js";

/** Sets keys in a YAML file; untouched lines keep their bytes. */
export const yamlUpdate = defineUpdateStep(updateYamlText);
