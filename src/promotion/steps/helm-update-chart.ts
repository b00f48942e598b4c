import { z } from "zod";
import { parseYaml, updateYamlText } from "../edits/update-yaml-text.js";
import { fromOrigin } from "../step-support/config-fields.js";
import { asStepFailure } from "../step-support/as-step-failure.js";
import { readTextFile } from "../step-support/read-text-file.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  path: z.string().min(1),
  charts: z.array(z.strictObject({ repository: z.string().min(1), name: z.string().min(1), version: z.string().min(1).optional(), fromOrigin: fromOrigin.optional() })).min(1),
});

interface Dependency {
  name?: string;
  repository?: string;
  version?: string;
}

/**
 * Sets dependency versions in a chart's Chart.yaml (from config or the freight's chart). It does
 * not run `helm dependency update`: the chart's lock file and charts/ are left to Argo CD/Helm.
 */
export const helmUpdateChart = defineStep({
  uses: "helm-update-chart",
  config: schema,
  async run(config, env) {
    const file = `${config.path.replace(/\/+$/, "")}/Chart.yaml`;
    const text = await readTextFile(env.workspace, file);
    const chart = asStepFailure(() => parseYaml(text, file).toJS() as { dependencies?: Dependency[] } | null);
    const dependencies = chart?.dependencies ?? [];
    const updates = config.charts.map((wanted, index) => {
      const at = dependencies.findIndex((d) => d.name === wanted.name && trimSlash(d.repository) === trimSlash(wanted.repository));
      if (at === -1) throw new StepFailure(`config.charts[${index}]: ${file} has no dependency "${wanted.name}" from ${wanted.repository}; add it to dependencies first`);
      const version = wanted.version ?? chartVersionFromFreight(env.promotion.freight.filter((f) => !wanted.fromOrigin || f.origin.name === wanted.fromOrigin.name), wanted.repository, wanted.name, index);
      return { key: `dependencies.${at}.version`, value: version };
    });
    await env.workspace.writeFile(file, asStepFailure(() => updateYamlText(text, updates, file)));
    const described = config.charts.map((c, i) => `${c.name}:${updates[i]?.value}`).join(", ");
    return { phase: "Succeeded", outputs: { commitMessage: `Updated chart dependencies in ${config.path}: ${described}` } };
  },
});

function chartVersionFromFreight(freight: { charts?: { repoURL: string; name?: string; version: string }[] }[], repository: string, name: string, index: number): string {
  for (const f of freight) {
    const chart = f.charts?.find((c) => (trimSlash(c.repoURL) === trimSlash(repository) && (c.name === undefined || c.name === name)) || trimSlash(c.repoURL) === `${trimSlash(repository)}/${name}`);
    if (chart) return chart.version;
  }
  throw new StepFailure(`config.charts[${index}]: the freight has no chart ${name} from ${repository}; set version`);
}

function trimSlash(url: string | undefined): string {
  return (url ?? "").replace(/\/+$/, "");
}
