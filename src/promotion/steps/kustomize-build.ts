import path from "node:path";
import { z } from "zod";
import { findTool } from "../tools/find-tool.js";
import { runTool } from "../tools/run-tool.js";
import { normalizeWorkspacePath } from "../workspace/resolve-workspace-path.js";
import { collectKustomizePaths } from "../step-support/collect-kustomize-paths.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  path: z.string().min(1),
  outPath: z.string().min(1),
  // Ignored: kustomize runs without --enable-helm, so there is no Helm to configure.
  plugin: z.strictObject({ helm: z.strictObject({ apiVersions: z.array(z.string().min(1)).optional(), kubeVersion: z.string().min(1).optional() }).optional() }).optional(),
});

/**
 * Renders a kustomization with `kustomize build` (or `kubectl kustomize`) into one file. Only what
 * the repository holds is rendered: remote resources are refused before kustomize runs, and
 * kustomize runs offline, so nothing it could fetch ends up in the pull request.
 */
export const kustomizeBuild = defineStep({
  uses: "kustomize-build",
  config: schema,
  async run(config, env) {
    const relative = normalizeWorkspacePath(config.path);
    const paths = await collectKustomizePaths(env.workspace, relative);
    const searchPath = env.services.toolPath ?? process.env.PATH ?? "";
    const kustomize = await findTool("kustomize", searchPath);
    const kubectl = kustomize ? undefined : await findTool("kubectl", searchPath);
    if (!kustomize && !kubectl) {
      throw new StepFailure("kustomize-build needs `kustomize` or `kubectl` on PATH and neither was found; install one of them", "Errored");
    }
    const materialized = await env.workspace.materialize(paths);
    try {
      const dir = path.join(materialized.dir, relative);
      const args = kustomize ? ["build", dir] : ["kustomize", dir];
      const output = await runTool((kustomize ?? kubectl) as string, args, { cwd: materialized.dir, signal: env.signal, offline: true }).catch((error: unknown) => {
        throw new StepFailure(`kustomize build of "${config.path}" failed: ${(error as Error).message.replaceAll(materialized.dir + "/", "")}`);
      });
      await env.workspace.writeFile(config.outPath, output);
    } finally {
      await materialized.release();
    }
    return { phase: "Succeeded" };
  },
});
