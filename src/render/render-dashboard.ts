import type { StageHealth } from "../argocd/evaluate-app-state.js";
import type { Freight } from "../pipeline/types.js";
import { compileBuiltInTemplate } from "./compile-template.js";
import { DASHBOARD } from "./templates/dashboard.js";

export interface DashboardStage {
  name: string;
  health: StageHealth;
  current?: Freight;
  /** availableFreight() for the stage, newest first. */
  available: Freight[];
  openPromotions: { pullRequest: number; alias: string; freight: string }[];
}

export interface DashboardView {
  project: string;
  stages: DashboardStage[];
}

const HEALTH_ICONS: Record<StageHealth, string> = {
  Healthy: "🟢",
  Progressing: "🔄",
  Unhealthy: "🔴",
  Unknown: "⚪",
  NotApplicable: "➖",
};

/** GitHub caps an issue body at 65,536 characters; a long freight history must not break the issue. */
export const MAX_PROMOTABLE_PER_STAGE = 5;

const renderTemplate = compileBuiltInTemplate(DASHBOARD, "dashboard template");

/** The body of the promotion dashboard issue: per stage, health, what runs, what is open and what may be promoted. */
export function renderDashboard(view: DashboardView): string {
  return render(view, true);
}

/** The answer to `/status`: the dashboard without checkboxes. */
export function renderStatus(view: DashboardView): string {
  return render(view, false);
}

function render(view: DashboardView, interactive: boolean): string {
  const stages = view.stages.map((stage) => {
    const busy = new Set([stage.current?.name, ...stage.openPromotions.map((p) => p.freight)]);
    const promotable = stage.available.filter((f) => !busy.has(f.name));
    return {
      name: stage.name,
      health: stage.health,
      healthIcon: HEALTH_ICONS[stage.health],
      current: stage.current ? describe(stage.current) : undefined,
      openPromotions: stage.openPromotions,
      promotable: promotable.slice(0, MAX_PROMOTABLE_PER_STAGE).map(describe),
      morePromotable: Math.max(0, promotable.length - MAX_PROMOTABLE_PER_STAGE),
    };
  });
  return `${renderTemplate({ project: view.project, stages, interactive }).trim()}\n`;
}

function describe(freight: Freight) {
  const versions = [
    ...(freight.images ?? []).map((i) => i.tag),
    ...(freight.commits ?? []).map((c) => c.tag ?? c.id.slice(0, 7)),
    ...(freight.charts ?? []).map((c) => c.version),
  ];
  return { id: freight.name, alias: freight.alias ?? freight.name.slice(0, 7), versions: versions.join(", ") };
}
