import type { ConfigSource, RepositorySources } from "./config-source.js";
import { diagnosticAt, type Diagnostic } from "./diagnostic.js";
import { parseYamlFile } from "./parse-yaml-file.js";
import type { ConfigFile } from "./validate-project.js";

// Probot's rule (@probot/octokit-plugin-config): `repo`, `owner/repo`, optionally `:path.yml`.
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

export interface ExtendsTarget {
  owner: string;
  repo: string;
  path: string;
}

/** Parses an `_extends` value the way Probot does; undefined when it is not valid. */
export function parseExtends(value: unknown, owner: string, path: string): ExtendsTarget | undefined {
  if (typeof value !== "string") return undefined;
  const match = EXTENDS.exec(value);
  if (!match?.[2]) return undefined;
  return { owner: match[1] ?? owner, repo: match[2], path: match[3] ?? path };
}

export interface NativeChain {
  files: ConfigFile[];
  diagnostics: Diagnostic[];
}

/**
 * Probot's `context.config` lookup: the repository's file, else the owner's `.github` repository's
 * file at the same path; then each `_extends` in turn until a file has none. Nearest first.
 */
export async function resolveNativeChain(source: ConfigSource, path: string, repository: { owner: string; repo: string } | undefined, repositories: RepositorySources | undefined): Promise<NativeChain> {
  const files: ConfigFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const own = await source.readFile(path);
  let current: { text: string; label: string } | undefined = own === undefined ? undefined : { text: own, label: source.label(path) };
  if (!current && repository && repository.repo !== ".github") {
    const orgSource = repositories?.(repository.owner, ".github");
    const text = await orgSource?.readFile(path);
    if (orgSource && text !== undefined) current = { text, label: orgSource.label(path) };
  }
  const loaded = new Set<string>(repository ? [`${repository.owner}/${repository.repo}:${path}`] : []);
  while (current) {
    const parsed = parseYamlFile(current.label, current.text);
    files.push({ path: current.label, text: current.text, parsed });
    const value = parsed.documents[0];
    const extendsValue = (value?.value as { _extends?: unknown } | undefined)?._extends;
    if (extendsValue === undefined || !value) break;
    const here = value.locator.at(["_extends"]);
    const target = repository ? parseExtends(extendsValue, repository.owner, path) : undefined;
    if (!repository || !target) {
      const why = repository ? `"${String(extendsValue)}" is not a valid _extends: use repo, owner/repo or owner/repo:path.yml` : "_extends cannot be followed without knowing the repository's owner";
      diagnostics.push(diagnosticAt(here, repository ? "error" : "warning", why));
      break;
    }
    const key = `${target.owner}/${target.repo}:${target.path}`;
    if (loaded.has(key)) {
      diagnostics.push(diagnosticAt(here, "error", `_extends: ${key} was already loaded (the files extend each other in a loop): remove one _extends`));
      break;
    }
    loaded.add(key);
    const next = repositories?.(target.owner, target.repo);
    if (!next) {
      diagnostics.push(diagnosticAt(here, "warning", `_extends: ${key} cannot be read from here; checked without it`));
      break;
    }
    const text = await next.readFile(target.path);
    if (text === undefined) {
      diagnostics.push(diagnosticAt(here, "error", `_extends: ${key} does not exist (or the app cannot read it): fix the name or install the app on ${target.owner}/${target.repo}`));
      break;
    }
    current = { text, label: next.label(target.path) };
  }
  return { files, diagnostics };
}
