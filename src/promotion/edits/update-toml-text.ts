import { parse, stringify } from "smol-toml";
import { setDataPath } from "./set-data-path.js";
import type { KeyUpdate } from "./update-yaml-text.js";

/** Applies updates to TOML text (re-serialised: comments in the file are not kept). */
export function updateTomlText(text: string, updates: KeyUpdate[], file = "the file"): string {
  const data = parseToml(text, file);
  for (const update of updates) setDataPath(data, update.key, update.value, file);
  return stringify(data) + "\n";
}

export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not valid TOML: ${(error as Error).message.split("\n")[0]}`);
  }
}
