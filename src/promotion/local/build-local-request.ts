import { createHash } from "node:crypto";
import type { FreightReference } from "../../freight/freight-reference.js";
import type { PromotionRequest, PromotionStepSpec } from "../types.js";
import type { StagePipeline } from "./read-stage-pipeline.js";

/** Parses `--image REPO:TAG` or `REPO@sha256:…` (a registry port is not mistaken for a tag). */
export function parseImageFlag(text: string): { repoURL: string; tag: string; digest?: string } {
  const at = text.indexOf("@");
  if (at > 0) return { repoURL: text.slice(0, at), tag: "", digest: text.slice(at + 1) };
  const colon = text.lastIndexOf(":");
  if (colon <= 0 || text.slice(colon + 1).includes("/")) throw new Error(`--image ${text}: write it as REPO:TAG, e.g. ghcr.io/acme/shop:1.4.0`);
  return { repoURL: text.slice(0, colon), tag: text.slice(colon + 1) };
}

/** Builds the promotion a local run carries out: the given images as one freight, minus skipped steps. */
export function buildLocalRequest(pipeline: StagePipeline, images: FreightReference["images"], skip: string[]): { request: PromotionRequest; skipped: string[] } {
  const parts = (images ?? []).map((i) => `${i.repoURL}:${i.tag}@${i.digest ?? ""}`).sort();
  const name = createHash("sha1").update(`Warehouse/${pipeline.warehouse}:${parts.join("|")}`).digest("hex");
  const skipped: string[] = [];
  const keep = (step: PromotionStepSpec, label: string) => {
    if (step.uses !== undefined && skip.includes(step.uses)) {
      skipped.push(label);
      return false;
    }
    return true;
  };
  const tasks = Object.fromEntries(
    Object.entries(pipeline.tasks).map(([taskName, task]) => [taskName, { ...task, steps: task.steps.filter((s, i) => keep(s, `${taskName}/${s.as ?? `step-${i + 1}`} (${s.uses})`)) }]),
  );
  const steps = pipeline.steps.filter((s, i) => keep(s, `${s.as ?? `step-${i + 1}`} (${s.uses})`));
  return {
    request: {
      id: `${pipeline.project}/${pipeline.stage}/${name.slice(0, 12)}`,
      project: pipeline.project,
      stage: pipeline.stage,
      actor: "local",
      freight: [{ name, alias: "local", origin: { kind: "Warehouse", name: pipeline.warehouse }, images: images ?? [] }],
      vars: pipeline.vars,
      steps,
      tasks,
    },
    skipped,
  };
}
