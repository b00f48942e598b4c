import { parse } from "yaml";
import { suggestName } from "../../text/suggest-name.js";
import { FORBIDDEN_NAMES } from "./expr-lang/grammar.js";
import type { ExpressionContext, NamedValues } from "./types.js";

/** The largest operator values file read (characters). */
export const MAX_OPERATOR_VALUES_LENGTH = 1_000_000;

/** Secrets and ConfigMaps by name, each a map of string values. */
export interface ValueSets {
  secrets: NamedValues;
  configMaps: NamedValues;
}

/** What the App's operator configures for expressions: per project, and shared by all projects. */
export interface OperatorValues {
  projects: Record<string, ValueSets>;
  shared: ValueSets;
}

export interface OperatorValuesReading {
  values: OperatorValues;
  /** Each names the place and the fix; none ever repeats a value. */
  problems: string[];
}

const TOP_FIELDS = ["projects", "shared"];
const SET_FIELDS = ["secrets", "configMaps"];

/**
 * Reads the operator's values file (YAML or JSON), which serves secret(), sharedSecret(),
 * configMap() and sharedConfigMap():
 *
 *     projects:
 *       shop:
 *         secrets: { slack: { token: "…" } }
 *         configMaps: { settings: { repoURL: "…" } }
 *     shared:
 *       secrets: { registry: { password: "…" } }
 *
 * It comes from the App's own configuration (a mounted file or an environment variable), never from
 * a GitOps repository. Entries with a problem are left out and the rest is read.
 */
export function readOperatorValues(text: string, source = "operator values"): OperatorValuesReading {
  const problems: string[] = [];
  const empty = (): ValueSets => ({ secrets: {}, configMaps: {} });
  const values: OperatorValues = { projects: {}, shared: empty() };
  if (text.length > MAX_OPERATOR_VALUES_LENGTH) {
    return { values, problems: [`${source} is ${text.length} characters long; the limit is ${MAX_OPERATOR_VALUES_LENGTH}`] };
  }
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    const position = (error as { linePos?: [{ line: number; col: number }] }).linePos?.[0];
    const where = position ? ` (line ${position.line}, column ${position.col})` : "";
    return { values, problems: [`${source} is not YAML or JSON${where}; write { projects: { <project>: { secrets, configMaps } }, shared: { secrets, configMaps } }`] };
  }
  if (raw === null || raw === undefined) return { values, problems };
  const top = asRecord(raw, source, problems, TOP_FIELDS);
  if (!top) return { values, problems };
  if (top.shared !== undefined) values.shared = readSets(top.shared, `${source}: shared`, problems);
  if (top.projects !== undefined) {
    const projects = asRecord(top.projects, `${source}: projects`, problems);
    for (const [project, sets] of Object.entries(projects ?? {})) {
      if (checkName(project, `${source}: projects`, problems)) values.projects[project] = readSets(sets, `${source}: projects.${project}`, problems);
    }
  }
  return { values, problems };
}

/** The ExpressionContext fields for one project's expressions. */
export function operatorValuesFor(values: OperatorValues, project: string): Pick<ExpressionContext, "secrets" | "sharedSecrets" | "configMaps" | "sharedConfigMaps"> {
  const own = Object.hasOwn(values.projects, project) ? values.projects[project] : undefined;
  return {
    secrets: own?.secrets ?? {},
    configMaps: own?.configMaps ?? {},
    sharedSecrets: values.shared.secrets,
    sharedConfigMaps: values.shared.configMaps,
  };
}

function readSets(raw: unknown, path: string, problems: string[]): ValueSets {
  const sets: ValueSets = { secrets: {}, configMaps: {} };
  const record = asRecord(raw, path, problems, SET_FIELDS);
  for (const field of SET_FIELDS as (keyof ValueSets)[]) {
    if (record?.[field] === undefined) continue;
    const named = asRecord(record[field], `${path}.${field}`, problems);
    for (const [name, data] of Object.entries(named ?? {})) {
      if (!checkName(name, `${path}.${field}`, problems)) continue;
      const entries = asRecord(data, `${path}.${field}.${name}`, problems);
      if (!entries) continue;
      const strings: Record<string, string> = {};
      for (const [key, item] of Object.entries(entries)) {
        if (!checkName(key, `${path}.${field}.${name}`, problems)) continue;
        if (typeof item === "string") strings[key] = item;
        else problems.push(`${path}.${field}.${name}.${key} must be a string (quote numbers and booleans); it is left out`);
      }
      sets[field][name] = strings;
    }
  }
  return sets;
}

function asRecord(raw: unknown, path: string, problems: string[], fields?: readonly string[]): Record<string, unknown> | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`${path} must be a mapping of names${fields ? ` (${fields.join(", ")})` : ""}`);
    return undefined;
  }
  const record = raw as Record<string, unknown>;
  if (fields) {
    for (const key of Object.keys(record)) {
      if (!fields.includes(key)) problems.push(`${path}: "${key}" is not a known field${suggestName(key, fields)}; the fields are ${fields.join(", ")}`);
    }
  }
  return record;
}

function checkName(name: string, path: string, problems: string[]): boolean {
  if (!FORBIDDEN_NAMES.has(name)) return true;
  problems.push(`${path}: "${name}" cannot be used as a name`);
  return false;
}
