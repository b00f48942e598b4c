import { findTool } from "../../promotion/tools/find-tool.js";
import { runTool } from "../../promotion/tools/run-tool.js";

/** A render that takes longer is given up: the diff is a courtesy, not a gate. */
const RENDER_TIMEOUT_MS = 60_000;

/**
 * Renders a kustomization directory the App materialized (`kustomize build`, or `kubectl
 * kustomize` when only kubectl is installed), offline: a remote base fails instead of being
 * fetched past the App's address guard, as in the kustomize-build step.
 */
export async function renderKustomization(dir: string, searchPath: string = process.env.PATH ?? ""): Promise<string> {
  const kustomize = await findTool("kustomize", searchPath);
  const kubectl = kustomize ? undefined : await findTool("kubectl", searchPath);
  if (!kustomize && !kubectl) throw new Error("neither kustomize nor kubectl is on the App's PATH; install one to show the rendered diff");
  const args = kustomize ? ["build", "."] : ["kustomize", "."];
  return runTool((kustomize ?? kubectl) as string, args, { cwd: dir, offline: true, timeoutMs: RENDER_TIMEOUT_MS });
}
