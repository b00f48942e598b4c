import { parseKeyPath } from "./parse-key-path.js";

const FORBIDDEN: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

type Container = Record<string, unknown> | unknown[];

/**
 * Sets `key` (a Kargo dotted path) in parsed JSON/TOML data, creating missing mappings. Refuses
 * the prototype names so a file edit can never reach Object.prototype.
 */
export function setDataPath(data: unknown, key: string, value: unknown, file: string): void {
  const path = parseKeyPath(key);
  let current: unknown = data;
  path.forEach((part, index) => {
    if (typeof part === "string" && FORBIDDEN.has(part)) throw new Error(`${file}: key "${key}" uses "${part}", which is not allowed`);
    const container = asContainer(current, key, path.slice(0, index).join("."), file);
    const last = index === path.length - 1;
    if (Array.isArray(container)) {
      if (typeof part !== "number" || part > container.length) {
        throw new Error(`${file}: "${key}": ${path.slice(0, index).join(".")} is a list; use an index from 0 to ${container.length}`);
      }
      if (last) container[part] = value;
      else current = container[part] ??= {};
      return;
    }
    const name = String(part);
    if (last) {
      container[name] = value;
    } else {
      if (!Object.hasOwn(container, name) || container[name] === null) container[name] = {};
      current = container[name];
    }
  });
}

function asContainer(value: unknown, key: string, at: string, file: string): Container {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  throw new Error(`${file}: cannot set "${key}": "${at || "the document"}" is ${value === null ? "null" : `a ${typeof value}`}, not a mapping`);
}
