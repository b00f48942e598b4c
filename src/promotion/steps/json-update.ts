import { updateJsonText } from "../edits/update-json-text.js";
import { defineUpdateStep } from "../step-support/define-update-step.js";

/** Sets keys in a JSON file, keeping its indentation. */
export const jsonUpdate = defineUpdateStep("json-update", updateJsonText);
