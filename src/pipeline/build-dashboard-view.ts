import type { StageHealth } from "../argocd/evaluate-app-state.js";
import type { DashboardView } from "../render/render-dashboard.js";
import { availableFreight } from "./available-freight.js";
import type { OpenPromotion } from "./supersede.js";
import type { Freight, PipelineStage } from "./types.js";

export interface DashboardInput {
  project: string;
  stages: PipelineStage[];
  /** Newest first, with status. */
  freight: Freight[];
  /** What each stage runs now (its newest deployment's freight ID). */
  running: Map<string, string>;
  open: OpenPromotion[];
  health: Map<string, StageHealth>;
  now: Date;
}

/** Per stage: health, what runs, what is open and what may be promoted — the dashboard issue and `/status`. */
export function buildDashboardView(input: DashboardInput): DashboardView {
  return {
    project: input.project,
    stages: input.stages.map((stage) => {
      const runningName = input.running.get(stage.name);
      const current = runningName ? input.freight.find((f) => f.name === runningName) : undefined;
      return {
        name: stage.name,
        health: input.health.get(stage.name) ?? "NotApplicable",
        ...(current ? { current } : {}),
        available: availableFreight(stage, input.stages, input.freight, input.now),
        openPromotions: input.open.filter((p) => p.stage === stage.name).map((p) => ({ pullRequest: p.pullRequest, alias: p.freight.alias ?? p.freight.name.slice(0, 7), freight: p.freight.name })),
      };
    }),
  };
}
