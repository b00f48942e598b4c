import { stringify } from "yaml";
import { parseYaml } from "./update-yaml-text.js";

const FORBIDDEN: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Deep-merges YAML documents in order: later mappings win key by key; lists and scalars are
 * replaced whole (the way Helm merges values files).
 */
export function mergeYamlDocuments(files: { path: string; text: string }[]): string {
  let merged: unknown = {};
  for (const file of files) merged = mergeValues(merged, parseYaml(file.text, file.path).toJS() ?? {}, file.path);
  return stringify(merged);
}

function mergeValues(base: unknown, overlay: unknown, file: string): unknown {
  if (!isMapping(base) || !isMapping(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (FORBIDDEN.has(key)) throw new Error(`${file}: key "${key}" is not allowed`);
    out[key] = Object.hasOwn(out, key) ? mergeValues(out[key], value, file) : value;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
