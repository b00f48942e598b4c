import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { createLocalConfigSource, loadProject, validateProject, type ConfigFile, type ValidateOptions, type ValidationResult } from "../config/index.js";
import type { CliIo } from "./main.js";

const KARGO = /^apiVersion:\s*["']?kargo\.akuity\.io\//m;
const YAML_FILE = /\.ya?ml$/;

/**
 * Loads and validates the project at a path: a checkout (.github/stagecoach.yml or Kargo manifests
 * under .github/stagecoach/), a directory of manifests, or one file. Undefined (after saying why on
 * stderr) when there is nothing to read.
 */
export async function validatePath(path: string, options: ValidateOptions, io: CliIo): Promise<ValidationResult | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    io.err(`${path}: no such file or directory`);
    return undefined;
  }
  if (info.isFile()) return validateProject(classify([{ path, text: await readFile(path, "utf8") }]), options);
  const loaded = await loadProject(createLocalConfigSource(path), options);
  if (loaded.form !== "none") return loaded;
  const names = (await readdir(path)).filter((n) => YAML_FILE.test(n)).sort();
  const files = await Promise.all(names.map(async (n) => ({ path: join(path, n), text: await readFile(join(path, n), "utf8") })));
  if (files.length === 0) {
    io.err(`${path}: no pipeline config here: add .github/stagecoach.yml, or Kargo manifests under .github/stagecoach/`);
    return undefined;
  }
  return validateProject(classify(files), options);
}

function classify(files: ConfigFile[]): { native: ConfigFile[]; kargo: ConfigFile[] } {
  return { native: files.filter((f) => !KARGO.test(f.text)), kargo: files.filter((f) => KARGO.test(f.text)) };
}

// A checkout's directory name is the repository's name; for a file, the name of the checkout it sits in.
export function projectNameFor(path: string): string {
  const absolute = resolve(path);
  const root = absolute.includes("/.github") ? absolute.slice(0, absolute.indexOf("/.github")) : absolute;
  return (basename(YAML_FILE.test(root) ? dirname(root) : root) || "project").toLowerCase().replace(/[^a-z0-9-]/g, "-");
}
