import type { DataPath, SourceLocator, SourcePosition } from "./diagnostic.js";

/** Where a part of the model came from: this model path maps to that path in a source file. */
export interface ModelOrigin {
  modelPath: DataPath;
  locator: SourceLocator;
  sourcePath: DataPath;
}

export interface ModelOrigins {
  add(modelPath: DataPath, locator: SourceLocator, sourcePath: DataPath): void;
  /** The source position of a model path, through its longest recorded prefix. */
  at(modelPath: DataPath): SourcePosition;
  inValue(modelPath: DataPath, offset: number): SourcePosition;
  /** The path in the source file that a model path stands for (for naming fields in messages). */
  sourcePath(modelPath: DataPath): DataPath;
}

const keyOf = (path: DataPath) => JSON.stringify(path);

export function createModelOrigins(fallback: SourceLocator): ModelOrigins {
  const origins = new Map<string, ModelOrigin>();
  const resolve = (modelPath: DataPath): { origin: ModelOrigin; rest: DataPath } | undefined => {
    for (let length = modelPath.length; length >= 0; length -= 1) {
      const origin = origins.get(keyOf(modelPath.slice(0, length)));
      if (origin) return { origin, rest: modelPath.slice(length) };
    }
    return undefined;
  };
  return {
    add(modelPath, locator, sourcePath) {
      origins.set(keyOf(modelPath), { modelPath, locator, sourcePath });
    },
    at(modelPath) {
      const found = resolve(modelPath);
      return found ? found.origin.locator.at([...found.origin.sourcePath, ...found.rest]) : fallback.at([]);
    },
    sourcePath(modelPath) {
      const found = resolve(modelPath);
      return found ? [...found.origin.sourcePath, ...found.rest] : modelPath;
    },
    inValue(modelPath, offset) {
      const found = resolve(modelPath);
      return found ? found.origin.locator.inValue([...found.origin.sourcePath, ...found.rest], offset) : fallback.at([]);
    },
  };
}
