import deepmerge from "deepmerge";
import type { DataPath, SourceLocator, SourcePosition } from "./diagnostic.js";
import type { ParsedDocument } from "./parse-yaml-file.js";

type Named = { name: string };
const isNamed = (item: unknown): item is Named => typeof item === "object" && item !== null && typeof (item as Named).name === "string";

/**
 * Lists of named things (warehouses, stages, tasks, vars) merge item by item on `name`, so a
 * repository can override one stage of an org-wide default; any other list is replaced whole.
 */
const arrayMerge = (target: unknown[], source: unknown[], options?: deepmerge.ArrayMergeOptions): unknown[] => {
  if (!target.every(isNamed) || !source.every(isNamed)) return source.map((item) => (options && typeof item === "object" && item !== null ? options.cloneUnlessOtherwiseSpecified(item, options) : item));
  const merged = [...target] as unknown[];
  for (const item of source) {
    const at = merged.findIndex((m) => (m as Named).name === item.name);
    if (at === -1) merged.push(item);
    else merged[at] = deepmerge(merged[at] as object, item, options);
  }
  return merged;
};

/**
 * Merges the native file with the files it `_extends` (given nearest first: the repository's
 * own file wins). The locator reports each value at the file it came from.
 */
export function mergeNativeFiles(documents: ParsedDocument[]): { value: unknown; locator: SourceLocator } {
  const values = documents.map((d) => d.value as object).reverse();
  const value = values.length === 1 ? values[0] : deepmerge.all(values, { arrayMerge });
  return { value, locator: mergedLocator(value, documents) };
}

type Step = { key: string | number } | { name: string };

function mergedLocator(merged: unknown, documents: ParsedDocument[]): SourceLocator {
  // Where each name sits in each list, indexed once per list: a config with thousands of stages,
  // each reported, must not search the list once per report.
  const indexes = new WeakMap<unknown[], Map<string, number>>();
  const indexOfName = (list: unknown[], name: string): number => {
    let index = indexes.get(list);
    if (!index) {
      index = new Map();
      for (const [i, item] of list.entries()) if (isNamed(item) && !index.has(item.name)) index.set(item.name, i);
      indexes.set(list, index);
    }
    return index.get(name) ?? -1;
  };
  // A merged index means nothing in the files; an item's name does.
  const named = (path: DataPath): Step[] => {
    let node = merged;
    return path.map((segment) => {
      const item = Array.isArray(node) && typeof segment === "number" ? node[segment] : undefined;
      node = typeof node === "object" && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined;
      return isNamed(item) ? { name: item.name } : { key: segment };
    });
  };
  const resolve = (steps: Step[], value: unknown): { path: (string | number)[]; complete: boolean } => {
    const path: (string | number)[] = [];
    let node = value;
    for (const step of steps) {
      if ("name" in step) {
        const index = Array.isArray(node) ? indexOfName(node, step.name) : -1;
        if (index === -1) return { path, complete: false };
        path.push(index);
        node = (node as unknown[])[index];
      } else {
        if (typeof node !== "object" || node === null || !(step.key in node)) return { path, complete: false };
        path.push(step.key);
        node = (node as Record<string | number, unknown>)[step.key];
      }
    }
    return { path, complete: true };
  };
  const best = (path: DataPath): { doc: ParsedDocument; path: (string | number)[]; complete: boolean } | undefined => {
    const steps = named(path);
    let chosen: { doc: ParsedDocument; path: (string | number)[]; complete: boolean } | undefined;
    for (const doc of documents) {
      const found = resolve(steps, doc.value);
      if (found.complete) return { doc, ...found };
      if (!chosen || found.path.length > chosen.path.length) chosen = { doc, ...found };
    }
    return chosen;
  };
  const fallback = (): SourcePosition => ({ file: documents[0]?.file ?? "", line: 1, column: 1, endLine: 1, endColumn: 1 });
  return {
    at(path) {
      const found = best(path);
      return found ? found.doc.locator.at(found.path) : fallback();
    },
    inValue(path, offset) {
      const found = best(path);
      if (!found) return fallback();
      return found.complete ? found.doc.locator.inValue(found.path, offset) : found.doc.locator.at(found.path);
    },
  };
}
