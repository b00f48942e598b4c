import path from "node:path";
import { z } from "zod";
import { findTool } from "../tools/find-tool.js";
import { runTool } from "../tools/run-tool.js";
import { normalizeWorkspacePath } from "../workspace/resolve-workspace-path.js";
import type { Workspace } from "../workspace/workspace.js";
import { findUnvendoredChartDependencies, type ChartDependency } from "../step-support/find-unvendored-chart-dependencies.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

// Values passed to helm as arguments: a leading dash would be read as a flag (--post-renderer runs a program).
const dns1123 = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "use lowercase letters, digits and dashes (a DNS-1123 name)");
const notAFlag = z.string().regex(/^[^-]/, "may not start with a dash");

// Chart.yaml and requirements.yaml are a few KB; a larger one is refused before it is parsed.
const MAX_CHART_FILE_BYTES = 1024 * 1024;

const schema = z.strictObject({
  path: z.string().min(1),
  outPath: z.string().min(1),
  // Ignored: the output is always one file at outPath.
  outLayout: z.enum(["flat", "helm"]).optional(),
  releaseName: dns1123.optional(),
  // Ignored: the release is called releaseName, or else after the stage.
  useReleaseName: z.boolean().optional(),
  namespace: dns1123.optional(),
  valuesFiles: z.array(z.string().min(1)).default([]),
  setValues: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        value: z.string(),
        // Ignored: every value is passed with --set-string.
        literal: z.boolean().optional(),
      }),
    )
    .default([]),
  // Ignored: dependencies are never fetched; they must be vendored in charts/.
  buildDependencies: z.boolean().optional(),
  includeCRDs: z.boolean().default(false),
  // Ignored: hooks are rendered as helm template renders them.
  disableHooks: z.boolean().optional(),
  // Ignored: test templates are rendered as helm template renders them.
  skipTests: z.boolean().optional(),
  kubeVersion: notAFlag.optional(),
  apiVersions: z.array(notAFlag).default([]),
});

/**
 * Renders a local chart with `helm template` into one file, offline: no repository is added, no
 * dependency is fetched (a chart whose dependencies are not vendored in `charts/` is refused), so
 * only what the repository holds is rendered.
 */
export const helmTemplate = defineStep({
  uses: "helm-template",
  config: schema,
  async run(config, env) {
    const chart = normalizeWorkspacePath(config.path);
    const values = config.valuesFiles.map(normalizeWorkspacePath);
    await refuseUnvendoredDependencies(env.workspace, chart);
    const helm = await findTool("helm", env.services.toolPath ?? process.env.PATH ?? "");
    if (!helm) throw new StepFailure("helm-template needs `helm` on PATH and it was not found; install Helm 3", "Errored");
    const materialized = await env.workspace.materialize([chart, ...values]);
    try {
      const args = [
        "template",
        config.releaseName ?? dns1123.parse(env.promotion.stage),
        path.join(materialized.dir, chart),
        ...(config.namespace ? ["--namespace", config.namespace] : []),
        ...values.flatMap((v) => ["--values", path.join(materialized.dir, v)]),
        ...config.setValues.flatMap((s) => ["--set-string", `${s.key}=${s.value}`]),
        ...(config.includeCRDs ? ["--include-crds"] : []),
        ...(config.kubeVersion ? ["--kube-version", config.kubeVersion] : []),
        ...config.apiVersions.flatMap((v) => ["--api-versions", v]),
      ];
      const output = await runTool(helm, args, { cwd: materialized.dir, signal: env.signal, offline: true }).catch((error: unknown) => {
        throw new StepFailure(`helm template of "${config.path}" failed: ${(error as Error).message.replaceAll(materialized.dir + "/", "")}`);
      });
      await env.workspace.writeFile(config.outPath, output);
    } finally {
      await materialized.release();
    }
    return { phase: "Succeeded" };
  },
});

async function refuseUnvendoredDependencies(workspace: Workspace, chart: string): Promise<void> {
  const chartFile = `${chart}/Chart.yaml`;
  // Without a Chart.yaml helm says what is wrong itself.
  if (!(await workspace.exists(chartFile))) return;
  const requirementsFile = `${chart}/requirements.yaml`;
  const missing = findUnvendoredChartDependencies({
    chart: await readChartFile(workspace, chartFile),
    ...((await workspace.exists(requirementsFile)) ? { requirements: await readChartFile(workspace, requirementsFile) } : {}),
    vendored: await workspace.listFiles(`${chart}/charts`).catch(() => []),
  });
  if (missing.length === 0) return;
  throw new StepFailure(
    `${chart}/Chart.yaml lists ${missing.map(describeDependency).join(", ")}, not vendored in ${chart}/charts/; helm-template does not fetch dependencies (that would reach past the App's address guard). Run \`helm dependency build ${chart}\` and commit ${chart}/charts/`,
  );
}

async function readChartFile(workspace: Workspace, file: string): Promise<string> {
  const bytes = await workspace.readFile(file);
  if (bytes.byteLength > MAX_CHART_FILE_BYTES) throw new StepFailure(`${file} is larger than ${MAX_CHART_FILE_BYTES / 1024 / 1024} MB, more than a chart's metadata should be`);
  return bytes.toString("utf8");
}

function describeDependency(dependency: ChartDependency): string {
  return `${dependency.name}${dependency.version ? ` ${dependency.version}` : ""}${dependency.repository ? ` from ${dependency.repository}` : ""}`;
}
