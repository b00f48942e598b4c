import { updateTomlText } from "../edits/update-toml-text.js";
import { defineUpdateStep } from "../step-support/define-update-step.js";

/** Sets keys in a TOML file. */
export const tomlUpdate = defineUpdateStep("toml-update", updateTomlText);
