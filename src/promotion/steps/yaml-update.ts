import { updateYamlText } from "../edits/update-yaml-text.js";
import { defineUpdateStep } from "../step-support/define-update-step.js";

/** Sets keys in a YAML file; untouched lines keep their bytes. */
export const yamlUpdate = defineUpdateStep("yaml-update", updateYamlText);
