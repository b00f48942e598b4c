import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { StepFailure } from "../step-failure.js";

/** A path a step gave that would leave the workspace or touch git's own files: a config mistake. */
export class WorkspacePathError extends StepFailure {
  constructor(message: string) {
    super(message, "Errored");
    this.name = "WorkspacePathError";
  }
}

/**
 * Checks a workspace-relative path without touching the disk: not absolute, no `..` that climbs
 * out, nothing inside `.git` (writing a hook there would run code at the next commit). Returns the
 * normalised relative path ("" for the root).
 */
export function normalizeWorkspacePath(relative: string): string {
  if (typeof relative !== "string" || relative.includes("\0")) throw new WorkspacePathError(`${JSON.stringify(relative)} is not a path`);
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    throw new WorkspacePathError(`"${relative}" is an absolute path; write paths relative to the promotion's workspace, e.g. ./out/app.yaml`);
  }
  const normalized = path.posix.normalize(relative.replaceAll("\\", "/")).replace(/\/+$/, "");
  if (normalized === ".." || normalized.startsWith("../")) {
    throw new WorkspacePathError(`"${relative}" leaves the workspace; remove the ".." so the path stays inside it`);
  }
  if (normalized.split("/").includes(".git")) {
    throw new WorkspacePathError(`"${relative}" points into git's own metadata (.git), which steps may not read or change`);
  }
  return normalized === "." ? "" : normalized;
}

/**
 * Resolves a workspace-relative path to a real path under `root`, refusing symlinks (anywhere on
 * the way) that point outside the workspace.
 */
export async function resolveWorkspacePath(root: string, relative: string): Promise<string> {
  const normalized = normalizeWorkspacePath(relative);
  const realRoot = await realpath(root);
  const full = path.join(realRoot, normalized);
  let existing = full;
  while (existing !== realRoot && !(await exists(existing))) existing = path.dirname(existing);
  const real = await realpath(existing);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new WorkspacePathError(`"${relative}" goes through a symbolic link that points outside the workspace; links must stay inside the repository`);
  }
  return path.join(real, path.relative(existing, full));
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
