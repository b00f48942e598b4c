import type { KeyUpdate } from "./update-yaml-text.js";
import { setDataPath } from "./set-data-path.js";

/** Applies updates to JSON text, keeping the file's indentation and final newline. */
export function updateJsonText(text: string, updates: KeyUpdate[], file = "the file"): string {
  const data = parseJson(text, file);
  for (const update of updates) setDataPath(data, update.key, update.value, file);
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  return JSON.stringify(data, null, indent) + (text.endsWith("\n") ? "\n" : "");
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
