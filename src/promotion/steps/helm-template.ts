import path from "node:path";
import { z } from "zod";
import { findTool } from "../tools/find-tool.js";
import { runTool } from "../tools/run-tool.js";
import { normalizeWorkspacePath } from "../workspace/resolve-workspace-path.js";
import { defineStep, StepFailure } from "./step.js";

// Values passed to helm as arguments: a leading dash would be read as a flag (--post-renderer runs a program).
const dns1123 = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "use lowercase letters, digits and dashes (a DNS-1123 name)");
const notAFlag = z.string().regex(/^[^-]/, "may not start with a dash");

const schema = z.object({
  path: z.string().min(1),
  outPath: z.string().min(1),
  releaseName: dns1123.optional(),
  namespace: dns1123.optional(),
  valuesFiles: z.array(z.string().min(1)).default([]),
  setValues: z.array(z.object({ key: z.string().min(1), value: z.string() })).default([]),
  includeCRDs: z.boolean().default(false),
  kubeVersion: notAFlag.optional(),
  apiVersions: z.array(notAFlag).default([]),
});

/** Renders a local chart with `helm template` into one file. */
export const helmTemplate = defineStep(schema, async (config, env) => {
  const chart = normalizeWorkspacePath(config.path);
  const values = config.valuesFiles.map(normalizeWorkspacePath);
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
    const output = await runTool(helm, args, { cwd: materialized.dir, signal: env.signal }).catch((error: unknown) => {
      throw new StepFailure(`helm template of "${config.path}" failed: ${(error as Error).message.replaceAll(materialized.dir + "/", "")}`);
    });
    await env.workspace.writeFile(config.outPath, output);
  } finally {
    await materialized.release();
  }
  return { phase: "Succeeded" };
});
