import path from "node:path";
import { parse } from "yaml";
import type { Workspace } from "../workspace/workspace.js";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
// Fields of a kustomization that name local files or directories.
const PATH_LISTS = ["resources", "bases", "components", "crds", "patchesStrategicMerge", "configurations", "transformers", "generators", "validators"];

/**
 * The directories and files a kustomize build reads, starting at `dir` and following local
 * references (overlays reach up to their bases), so only those need to be on disk.
 */
export async function collectKustomizePaths(workspace: Workspace, dir: string, seen = new Set<string>()): Promise<string[]> {
  const start = path.posix.normalize(dir);
  if (seen.has(start)) return [];
  seen.add(start);
  const file = await firstExisting(workspace, KUSTOMIZATION_FILES.map((name) => `${start}/${name}`));
  if (!file) return [start];
  const doc = (parse((await workspace.readFile(file)).toString("utf8")) ?? {}) as Record<string, unknown>;
  const out = [start];
  for (const reference of referencesOf(doc)) {
    if (/^[a-z]+:\/\//i.test(reference) || reference.startsWith("github.com/")) continue;
    const target = path.posix.normalize(path.posix.join(start, reference));
    const isFile = (await workspace.listFiles(target).catch(() => [])).join() === "";
    if (isFile) out.push(target);
    else out.push(...(await collectKustomizePaths(workspace, target, seen)));
  }
  return out;
}

function referencesOf(doc: Record<string, unknown>): string[] {
  const refs: string[] = [];
  for (const key of PATH_LISTS) {
    const list = doc[key];
    if (Array.isArray(list)) refs.push(...list.filter((v): v is string => typeof v === "string"));
  }
  for (const key of ["patches", "patchesJson6902", "replacements"]) {
    const list = doc[key];
    if (Array.isArray(list)) for (const item of list) if (typeof (item as { path?: unknown })?.path === "string") refs.push((item as { path: string }).path);
  }
  for (const key of ["configMapGenerator", "secretGenerator"]) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const item of list as { files?: unknown; envs?: unknown; env?: unknown }[]) {
      for (const entry of [...asStrings(item.files), ...asStrings(item.envs), ...asStrings(item.env)]) refs.push(entry.includes("=") ? entry.slice(entry.indexOf("=") + 1) : entry);
    }
  }
  return refs;
}

function asStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

async function firstExisting(workspace: Workspace, candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await workspace.exists(candidate)) return candidate;
  return undefined;
}
