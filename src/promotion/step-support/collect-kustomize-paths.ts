import path from "node:path";
import { parse } from "yaml";
import type { Workspace } from "../workspace/workspace.js";
import { findRemoteKustomizeReferences, type RemoteReference } from "./find-remote-kustomize-references.js";
import { StepFailure } from "../step-failure.js";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
// Fields of a kustomization that name local files or directories.
const PATH_LISTS = ["resources", "bases", "components", "crds", "patchesStrategicMerge", "configurations", "transformers", "generators", "validators"];
// Real kustomizations are a few KB; a larger one is refused before it is parsed.
const MAX_KUSTOMIZATION_BYTES = 1024 * 1024;

/**
 * The directories and files a kustomize build reads, starting at `dir` and following local
 * references (overlays reach up to their bases), so only those need to be on disk. A kustomization
 * on the way that names a remote resource is refused here, before kustomize runs: kustomize would
 * fetch it past the App's address guard (loopback, cloud metadata) and the answer would land in the
 * pull request unreviewed.
 */
export async function collectKustomizePaths(workspace: Workspace, dir: string, seen = new Set<string>()): Promise<string[]> {
  const start = path.posix.normalize(dir);
  if (seen.has(start)) return [];
  seen.add(start);
  const file = await firstExisting(workspace, KUSTOMIZATION_FILES.map((name) => `${start}/${name}`));
  if (!file) return [start];
  const bytes = await workspace.readFile(file);
  if (bytes.byteLength > MAX_KUSTOMIZATION_BYTES) throw new StepFailure(`${file} is larger than ${MAX_KUSTOMIZATION_BYTES / 1024 / 1024} MB, more than a kustomization should be; split it`);
  let doc: Record<string, unknown>;
  try {
    doc = (parse(bytes.toString("utf8"), { maxAliasCount: 100 }) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new StepFailure(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const remote = findRemoteKustomizeReferences(doc);
  if (remote.length > 0) throw new StepFailure(remoteRefusal(file, remote));
  const out = [start];
  for (const reference of referencesOf(doc)) {
    const target = path.posix.normalize(path.posix.join(start, reference));
    const isFile = (await workspace.listFiles(target).catch(() => [])).join() === "";
    if (isFile) out.push(target);
    else out.push(...(await collectKustomizePaths(workspace, target, seen)));
  }
  return out;
}

function remoteRefusal(file: string, remote: RemoteReference[]): string {
  const listed = remote.map((r) => `${r.field} "${r.entry}"`).join(", ");
  return `${file}: ${listed} ${remote.length === 1 ? "is a remote resource" : "are remote resources"}; kustomize-build does not fetch anything from outside the repository (it would bypass the App's address guard and put unreviewed content in the pull request). Vendor ${remote.length === 1 ? "it" : "them"} into the repository and reference the local copy`;
}

function referencesOf(doc: Record<string, unknown>): string[] {
  const refs: string[] = [];
  for (const key of PATH_LISTS) {
    const list = doc[key];
    // Multi-line entries (inline generator or transformer configs) are not paths.
    if (Array.isArray(list)) refs.push(...list.filter((v): v is string => typeof v === "string" && !v.includes("\n")));
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
