import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigSource } from "./config-source.js";

const missing = (error: unknown) => ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/** A config source over a directory on disk (a checkout of the GitOps repository). */
export function createLocalConfigSource(root: string): ConfigSource {
  return {
    label: (path) => join(root, path),
    async readFile(path) {
      try {
        const file = join(root, path);
        const info = await stat(file);
        if (!info.isFile()) return undefined;
        return await readFile(file, "utf8");
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async listDirectory(path) {
      try {
        const entries = await readdir(join(root, path), { withFileTypes: true });
        return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
  };
}
