import { access, constants } from "node:fs/promises";
import path from "node:path";

/** The first executable called `name` on the search path, or undefined. */
export async function findTool(name: string, searchPath: string = process.env.PATH ?? ""): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
