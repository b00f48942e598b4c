import { updateTomlText } from "../edits/update-toml-text.js";
import { defineUpdateStep } from "./update-file.js";

/** Sets keys in a TOML file. */
export const tomlUpdate = defineUpdateStep(updateTomlText);
