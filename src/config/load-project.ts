import { KARGO_CONFIG_DIR, NATIVE_CONFIG_PATH, type ConfigSource, type RepositorySources } from "./config-source.js";
import { resolveNativeChain } from "./resolve-extends.js";
import { validateProject, type ConfigFile, type ValidateOptions, type ValidationResult } from "./validate-project.js";

export interface LoadOptions extends ValidateOptions {
  /** The repository being loaded, so `_extends` and the org `.github` fallback can be followed. */
  repository?: { owner: string; repo: string };
  /** Reads other repositories for `_extends`; without it, `_extends` is reported and skipped. */
  repositories?: RepositorySources;
}

export interface LoadResult extends ValidationResult {
  /** Labels of the files read, nearest first. */
  files: string[];
}

const MANIFEST = /\.ya?ml$/;

/** Reads a project's config from a source (disk or GitHub) and validates it. */
export async function loadProject(source: ConfigSource, options: LoadOptions): Promise<LoadResult> {
  const chain = await resolveNativeChain(source, NATIVE_CONFIG_PATH, options.repository, options.repositories);
  const names = (await source.listDirectory(KARGO_CONFIG_DIR)) ?? [];
  const kargo: ConfigFile[] = [];
  for (const name of names.filter((n) => MANIFEST.test(n))) {
    const path = `${KARGO_CONFIG_DIR}/${name}`;
    const text = await source.readFile(path);
    if (text !== undefined) kargo.push({ path: source.label(path), text });
  }
  const result = validateProject({ native: chain.files, kargo }, options);
  const diagnostics = [...chain.diagnostics, ...result.diagnostics];
  const valid = result.valid && !chain.diagnostics.some((d) => d.severity === "error");
  return { ...result, project: valid ? result.project : undefined, valid, diagnostics, files: [...chain.files, ...kargo].map((f) => f.path) };
}
