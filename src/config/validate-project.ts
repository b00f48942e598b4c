import { checkAgainstSchema, dotted } from "./check-against-schema.js";
import { diagnosticAt, type Diagnostic, type SourceLocator } from "./diagnostic.js";
import { importKargoManifests } from "./kargo/import-kargo-manifests.js";
import { mergeNativeFiles } from "./merge-native-files.js";
import { ProjectSchema, type Project } from "./model/project.js";
import { createModelOrigins, type ModelOrigins } from "./model-origins.js";
import { expandNativeConfig } from "./native/expand-native-config.js";
import { NativeConfigSchema } from "./native/native-schema.js";
import { parseYamlFile, type ParsedDocument, type ParsedFile } from "./parse-yaml-file.js";
import { validateModel } from "./validate/validate-model.js";

/** A config file's text and the name messages use for it. */
export interface ConfigFile {
  path: string;
  text: string;
  /** The text already parsed (while following `_extends`), so a file is parsed once. */
  parsed?: ParsedFile;
}

export interface ProjectFiles {
  /** `.github/stagecoach.yml` followed by the files it `_extends`, nearest first. */
  native?: ConfigFile[];
  /** Kargo manifests (`.github/stagecoach/*.yaml`). */
  kargo?: ConfigFile[];
}

export interface ValidateOptions {
  /** Used when the files do not name the project (usually the repository name). */
  projectName: string;
  /** The GitOps repository the native short forms edit. */
  repoURL?: string;
  /** The branch short forms target when a stage names none. */
  defaultBranch?: string;
}

export interface ValidationResult {
  /** The model, or undefined when any error was found. */
  project: Project | undefined;
  diagnostics: Diagnostic[];
  valid: boolean;
  form: "native" | "kargo" | "none";
}

/** Parses, translates and checks a project's config files; pure (texts in, model and messages out). */
export function validateProject(files: ProjectFiles, options: ValidateOptions): ValidationResult {
  const native = files.native ?? [];
  const kargo = files.kargo ?? [];
  const form = native.length > 0 ? "native" : kargo.length > 0 ? "kargo" : "none";
  const diagnostics: Diagnostic[] = [];
  const parsed = (list: ConfigFile[]): ParsedDocument[] =>
    list.flatMap((file) => {
      const result = file.parsed ?? parseYamlFile(file.path, file.text);
      diagnostics.push(...result.diagnostics);
      return result.documents;
    });

  if (form === "none") return { project: undefined, diagnostics: [], valid: false, form };
  if (native.length > 0 && kargo.length > 0) {
    const first = native[0] as ConfigFile;
    diagnostics.push(diagnosticAt({ file: first.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, "error", `both ${first.path} and Kargo manifests (${kargo[0]?.path}) are present: keep one form of the pipeline`));
    return { project: undefined, diagnostics, valid: false, form };
  }

  let raw: unknown;
  let origins: ModelOrigins;
  const reported = new Set<string>();
  const fresh = (list: Diagnostic[]) => list.filter((d) => d.severity !== "error" || !reported.has(positionKey(d)));
  if (form === "native") {
    const documents = parsed(native).filter((d) => d.index === 0);
    if (documents.length === 0 || hasErrors(diagnostics)) return done(undefined, diagnostics, form);
    const merged = mergeNativeFiles(documents.map(withoutExtends));
    origins = createModelOrigins(merged.locator);
    const checked = checkAgainstSchema(NativeConfigSchema, merged.value, (path) => merged.locator.at(path));
    diagnostics.push(...checked.diagnostics);
    if (!checked.data) return done(undefined, diagnostics, form);
    const expanded = expandNativeConfig(checked.data, merged.locator, origins, { projectName: options.projectName, repoURL: options.repoURL, defaultBranch: options.defaultBranch ?? "main" });
    diagnostics.push(...expanded.diagnostics);
    // The model is still checked after an expansion error, but not re-reported at the same spot.
    for (const d of expanded.diagnostics) reported.add(positionKey(d));
    raw = expanded.model;
  } else {
    const documents = parsed(kargo);
    const fallback: SourceLocator = documents[0]?.locator ?? { at: () => ({ file: kargo[0]?.path ?? "", line: 1, column: 1, endLine: 1, endColumn: 1 }), inValue: () => ({ file: kargo[0]?.path ?? "", line: 1, column: 1, endLine: 1, endColumn: 1 }) };
    origins = createModelOrigins(fallback);
    const imported = importKargoManifests(documents, origins, options.projectName);
    diagnostics.push(...imported.diagnostics);
    raw = imported.model;
  }
  const model = checkAgainstSchema(ProjectSchema, raw, (path) => origins.at(path), (path) => dotted(origins.sourcePath(path)));
  diagnostics.push(...fresh(model.diagnostics));
  if (!model.data) return done(undefined, diagnostics, form);
  diagnostics.push(...fresh(validateModel(model.data, origins)));
  return done(model.data, diagnostics, form);
}

const positionKey = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`;
const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === "error");

function done(project: Project | undefined, diagnostics: Diagnostic[], form: ValidationResult["form"]): ValidationResult {
  const unique = dedupe(diagnostics).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const valid = project !== undefined && !hasErrors(unique);
  return { project: valid ? project : undefined, diagnostics: unique, valid, form };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// `_extends` is how the files were found, not part of the pipeline.
function withoutExtends(doc: ParsedDocument): ParsedDocument {
  if (typeof doc.value !== "object" || doc.value === null || !("_extends" in doc.value)) return doc;
  const { _extends: _ignored, ...rest } = doc.value as Record<string, unknown>;
  return { ...doc, value: rest };
}
