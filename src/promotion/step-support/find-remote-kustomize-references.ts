/** One entry of a kustomization that kustomize would fetch from outside the repository. */
export interface RemoteReference {
  /** Where it sits in the kustomization, e.g. `resources[2]`, `patches[0].path`, `helmCharts[0].repo`. */
  field: string;
  entry: string;
}

// Lists whose entries are files or directories kustomize loads (a URL among them is fetched).
const PATH_LISTS = ["resources", "bases", "components", "crds", "patchesStrategicMerge", "configurations", "transformers", "generators", "validators"];
// Lists of objects whose `path` is loaded.
const PATH_FIELDS = ["patches", "patchesJson6902", "replacements"];
const GENERATORS = ["configMapGenerator", "secretGenerator"];

/**
 * How kustomize tells a remote from a local path (api/internal/git/repospec.go, api/loader): any
 * `scheme://` URL (http and https are fetched, ssh and file are cloned), go-getter's forced getters
 * (`git::…`), scp-like `user@host:path`, GitHub shorthands, and Azure's `_git/` paths. A query
 * (`?ref=`) or a `//` subdirectory only ever belongs to a remote.
 */
const REMOTE_PATTERNS: readonly RegExp[] = [/^[a-z][a-z0-9+.-]*:\/\//i, /^[a-z0-9]+::/i, /^gh:/i, /^[^/\s]*@[^/\s]+:/, /^github\.com[/:]/i, /(^|\/)_git\//, /\?/, /[^/]\/\/[^/]/];

/** True when kustomize would fetch or clone this entry instead of reading a file in the repository. */
export function isRemoteReference(entry: string): boolean {
  const text = entry.trim();
  return REMOTE_PATTERNS.some((pattern) => pattern.test(text));
}

/**
 * Every entry of one kustomization document that reaches outside the repository: remote resources,
 * components, bases and the other loaded lists, patch and replacement paths, generator files,
 * `openapi.path`, and Helm charts kustomize would pull (`helmCharts[].repo`, their values files).
 * Inline entries (multi-line text in generators or transformers) are configuration, not paths.
 */
export function findRemoteKustomizeReferences(doc: Record<string, unknown>): RemoteReference[] {
  const found: RemoteReference[] = [];
  const check = (field: string, value: unknown) => {
    if (typeof value === "string" && !value.includes("\n") && isRemoteReference(value)) found.push({ field, entry: value });
  };
  for (const key of PATH_LISTS) asList(doc[key]).forEach((entry, i) => check(`${key}[${i}]`, entry));
  for (const key of PATH_FIELDS) asList(doc[key]).forEach((item, i) => check(`${key}[${i}].path`, field(item, "path")));
  for (const key of GENERATORS) {
    asList(doc[key]).forEach((item, i) => {
      for (const list of ["files", "envs", "env"]) {
        asStringList(field(item, list)).forEach((entry, j) => check(`${key}[${i}].${list}${list === "env" ? "" : `[${j}]`}`, entry.slice(entry.indexOf("=") + 1)));
      }
    });
  }
  check("openapi.path", field(doc.openapi, "path"));
  asList(doc.helmCharts).forEach((item, i) => {
    const repo = field(item, "repo");
    // Any repo (https://, oci://, a bare name) means helm pulls the chart; local charts live under helmGlobals.chartHome.
    if (typeof repo === "string" && repo.trim() !== "") found.push({ field: `helmCharts[${i}].repo`, entry: repo });
    check(`helmCharts[${i}].valuesFile`, field(item, "valuesFile"));
    asStringList(field(item, "additionalValuesFiles")).forEach((entry, j) => check(`helmCharts[${i}].additionalValuesFiles[${j}]`, entry));
  });
  asList(doc.helmChartInflationGenerator).forEach((item, i) => {
    const repo = field(item, "chartRepoUrl");
    if (typeof repo === "string" && repo.trim() !== "") found.push({ field: `helmChartInflationGenerator[${i}].chartRepoUrl`, entry: repo });
  });
  return found;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asStringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return asList(value).filter((v): v is string => typeof v === "string");
}

function field(item: unknown, name: string): unknown {
  return typeof item === "object" && item !== null ? (item as Record<string, unknown>)[name] : undefined;
}
