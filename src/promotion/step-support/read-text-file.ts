import type { Workspace } from "../workspace/workspace.js";

/** Reads a workspace file as UTF-8 text (steps that edit config files all start here). */
export async function readTextFile(workspace: Workspace, path: string): Promise<string> {
  return (await workspace.readFile(path)).toString("utf8");
}
