import { parse } from "yaml";

/** A chart dependency as Chart.yaml (or a v1 chart's requirements.yaml) lists it. */
export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
}

export interface ChartFiles {
  /** Chart.yaml's text. */
  chart: string;
  /** requirements.yaml's text, for `apiVersion: v1` charts that keep their dependencies there. */
  requirements?: string;
  /** Paths under the chart's `charts/` directory, relative to it (`redis-17.3.0.tgz`, `common/Chart.yaml`). */
  vendored: readonly string[];
}

/**
 * The dependencies a chart lists that its `charts/` directory does not hold. `helm template` would
 * need these fetched (`helm dependency build`), which the step never does: a chart repository named
 * in a GitOps repository is outside the App's address guard. A dependency counts as vendored when
 * `charts/` holds a directory named after it or a `<name>-<version>.tgz` archive, as `helm
 * dependency build` leaves them.
 */
export function findUnvendoredChartDependencies(files: ChartFiles): ChartDependency[] {
  const listed = [...dependenciesIn(files.chart), ...(files.requirements ? dependenciesIn(files.requirements) : [])];
  const entries = new Set(files.vendored.map((file) => file.split("/")[0] ?? ""));
  const archives = files.vendored.filter((file) => !file.includes("/") && file.endsWith(".tgz"));
  return listed.filter((dependency) => {
    if (entries.has(dependency.name)) return false;
    return !archives.some((archive) => archive.startsWith(`${dependency.name}-`) && /^v?\d/.test(archive.slice(dependency.name.length + 1)));
  });
}

function dependenciesIn(text: string): ChartDependency[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    // helm itself reports a Chart.yaml it cannot read, with its own line numbers.
    return [];
  }
  const list = typeof doc === "object" && doc !== null ? (doc as { dependencies?: unknown }).dependencies : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { name, version, repository } = item as Record<string, unknown>;
    if (typeof name !== "string" || name === "") return [];
    return [{ name, ...(typeof version === "string" ? { version } : {}), ...(typeof repository === "string" && repository !== "" ? { repository } : {}) }];
  });
}
