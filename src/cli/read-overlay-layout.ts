import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { parseYamlFile } from "../config/parse-yaml-file.js";

/** The directories whose subdirectories are taken for stages, looked for at the checkout's root. */
export const LAYOUT_DIRS = ["env", "envs", "environments", "overlays"];
const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/**
 * Budgets for reading a checkout someone else wrote: kustomizations may include each other in a
 * circle, list thousands of files or point outside the checkout. Reading stops at these and says so.
 */
const MAX_FILES = 500;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_NESTING = 10;
const MAX_NODES = 100_000;

export interface FoundImage {
  /** The image repository, without tag or digest (what a warehouse subscribes to). */
  repository: string;
  /** Where it was found, relative to the checkout. */
  file: string;
  /** From a kustomization's `images:` list, or an `image:` field of a resource. */
  source: "images" | "resource";
}

export interface OverlayStage {
  /** The directory's name, as found. */
  directory: string;
  /** The stage directory relative to the checkout, e.g. `env/dev`. */
  path: string;
  images: FoundImage[];
}

export interface OverlayLayout {
  /** The layout directory relative to the checkout, e.g. `env`. */
  root: string;
  stages: OverlayStage[];
  /** What was skipped or needs a person's eye, one sentence each. */
  notes: string[];
}

/**
 * Reads a checkout laid out as `env/<stage>/` or `overlays/<stage>/` (or the directory given):
 * each subdirectory holding a kustomization is a stage, and its images are the kustomization's
 * `images:` entries plus the `image:` fields of the resources it lists, following local bases.
 * Remote resources are not fetched.
 */
export async function readOverlayLayout(checkout: string, layoutDir?: string): Promise<OverlayLayout> {
  const root = resolve(checkout);
  const candidates = layoutDir !== undefined ? [layoutDir.replace(/\/+$/, "")] : LAYOUT_DIRS;
  const found: Array<{ dir: string; stages: string[] }> = [];
  for (const dir of candidates) {
    const stages = await stageDirectories(join(root, dir));
    if (stages.length > 0) found.push({ dir, stages });
  }
  if (found.length === 0) {
    const looked = layoutDir !== undefined ? `${layoutDir}/<stage>/kustomization.yaml` : LAYOUT_DIRS.map((d) => `${d}/<stage>/kustomization.yaml`).join(", ");
    throw new Error(`no kustomization found in ${checkout}: looked for ${looked}. Point --layout at the directory whose subdirectories are your stages (e.g. --layout deploy/overlays)`);
  }
  if (found.length > 1) {
    throw new Error(`${checkout} has stages under ${found.map((f) => `${f.dir}/`).join(" and ")}; say which layout to read with --layout ${found[0]!.dir}`);
  }
  const { dir, stages } = found[0]!;
  const reader = new ImageReader(root);
  const result: OverlayStage[] = [];
  for (const name of stages) {
    const path = `${dir}/${name}`;
    result.push({ directory: name, path, images: await reader.stageImages(path) });
  }
  return { root: dir, stages: result, notes: [...new Set(reader.notes)] };
}

async function stageDirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const stages: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (await kustomizationIn(join(dir, entry.name))) stages.push(entry.name);
  }
  return stages;
}

async function kustomizationIn(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile()) return join(dir, name);
  }
  return undefined;
}

interface ImagesEntry {
  name: string;
  newName?: string;
  file: string;
}

/** Walks one stage's kustomization tree within the budgets; notes are shared by all stages. */
class ImageReader {
  readonly notes: string[] = [];
  private files = 0;
  private budgetNoted = false;

  constructor(private readonly root: string) {}

  async stageImages(stagePath: string): Promise<FoundImage[]> {
    const entries: ImagesEntry[] = [];
    const resources: FoundImage[] = [];
    await this.readKustomization(join(this.root, stagePath), 0, new Set(), entries, resources);
    // An entry that renames (`name: app`, `newName: ghcr.io/acme/app`) is matched by its name, which
    // the kustomize short form cannot express: it sets the entry named after the image itself.
    const renamed = entries.filter((e) => e.newName !== undefined && e.newName !== e.name);
    for (const entry of renamed) {
      this.notes.push(
        `${entry.file}: the images entry "${entry.name}" renames to ${entry.newName}; the kustomize: short form sets the entry named after the image, so rename the entry to name: ${entry.newName} (and the image in your resources), or give that stage steps: with kustomize-set-image's name: field`,
      );
    }
    const renamedNames = new Set(renamed.map((e) => e.name));
    const images = [
      ...entries.filter((e) => !renamedNames.has(e.name)).map((e): FoundImage => ({ repository: e.name, file: e.file, source: "images" })),
      ...resources.filter((r) => !renamedNames.has(r.repository)),
    ];
    const seen = new Set<string>();
    return images.filter((i) => !seen.has(i.repository) && seen.add(i.repository));
  }

  private async readKustomization(dir: string, depth: number, visited: Set<string>, entries: ImagesEntry[], resources: FoundImage[]): Promise<void> {
    const file = await kustomizationIn(dir);
    if (!file || visited.has(file)) return;
    visited.add(file);
    if (depth > MAX_NESTING) {
      this.notes.push(`${this.label(file)}: kustomizations nested more than ${MAX_NESTING} deep; not read further`);
      return;
    }
    const [document] = await this.readYaml(file, true);
    if (!isRecord(document)) return;
    for (const [index, entry] of listOf(document.images).entries()) {
      if (!isRecord(entry) || typeof entry.name !== "string") continue;
      const name = imageRepository(entry.name);
      if (!name) {
        this.notes.push(`${this.label(file)}: images[${index}] "${entry.name}" is not an image reference; left out`);
        continue;
      }
      entries.push({ name, file: this.label(file), ...(typeof entry.newName === "string" ? { newName: entry.newName } : {}) });
    }
    // `bases` is the pre-v2.1 spelling of directory resources; `components` add resources too.
    for (const item of [...listOf(document.resources), ...listOf(document.bases), ...listOf(document.components)]) {
      if (typeof item !== "string") continue;
      if (isRemote(item)) {
        this.notes.push(`${this.label(file)}: remote resource ${item} not read (init reads only what the checkout holds)`);
        continue;
      }
      const target = resolve(dir, item);
      if (!this.inside(target)) {
        this.notes.push(`${this.label(file)}: ${item} is outside the checkout; not read`);
        continue;
      }
      const info = await stat(target).catch(() => undefined);
      if (info?.isDirectory()) await this.readKustomization(target, depth + 1, visited, entries, resources);
      else if (info?.isFile()) for (const document of await this.readYaml(target, false)) this.collectImageFields(document, this.label(target), resources);
    }
  }

  /** Every `image:` string in a resource (containers, initContainers, CRDs that use the same key). */
  private collectImageFields(document: unknown, file: string, into: FoundImage[]): void {
    const stack: unknown[] = [document];
    for (let nodes = 0; stack.length > 0 && nodes < MAX_NODES; nodes++) {
      const node = stack.pop();
      if (Array.isArray(node)) stack.push(...node);
      else if (isRecord(node)) {
        for (const [key, value] of Object.entries(node)) {
          if (key === "image" && typeof value === "string") {
            const repository = imageRepository(value);
            if (repository) into.push({ repository, file, source: "resource" });
            else this.notes.push(`${file}: image "${value.slice(0, 100)}" is not an image reference; left out`);
          } else if (typeof value === "object" && value !== null) stack.push(value);
        }
      }
    }
  }

  private async readYaml(file: string, required: boolean): Promise<unknown[]> {
    if (this.files >= MAX_FILES) {
      if (!this.budgetNoted) this.notes.push(`more than ${MAX_FILES} files listed by the kustomizations; the rest were not read`);
      this.budgetNoted = true;
      return [];
    }
    this.files++;
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) {
      this.notes.push(`${this.label(file)}: ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit; not read`);
      return [];
    }
    const parsed = parseYamlFile(this.label(file), await readFile(file, "utf8"));
    const problem = parsed.diagnostics.find((d) => d.severity === "error");
    if (problem && required) throw new Error(`${problem.file}:${problem.line}:${problem.column}: ${problem.message}`);
    if (problem) this.notes.push(`${problem.file}:${problem.line}:${problem.column}: ${problem.message}; its images were not read`);
    return parsed.documents.map((d) => d.value);
  }

  private inside(path: string): boolean {
    return path === this.root || path.startsWith(this.root + sep);
  }

  private label(path: string): string {
    return relative(this.root, path).split(sep).join("/");
  }
}

/**
 * The repository part of an image reference (`ghcr.io/acme/app:1.2@sha256:…` → `ghcr.io/acme/app`);
 * undefined for something that is not one (a template placeholder, spaces).
 */
export function imageRepository(reference: string): string | undefined {
  const withoutDigest = reference.split("@", 1)[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  const repository = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  return /^[a-z0-9][a-z0-9._-]*(:[0-9]+)?(\/[a-z0-9][a-z0-9._-]*)*$/.test(repository) ? repository : undefined;
}

/** kustomize reads `https://…`, `git@…`, `github.com/org/repo//path?ref=…` and the like as remote. */
function isRemote(item: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(item) || /^git@/.test(item) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(item) || item.includes("?ref=");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
