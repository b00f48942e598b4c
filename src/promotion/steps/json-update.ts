import { updateJsonText } from "../edits/update-json-text.js";
import { defineUpdateStep } from "./update-file.js";

/** Sets keys in a JSON file, keeping its indentation. */
export const jsonUpdate = defineUpdateStep(updateJsonText);
