import { readProjectHealth } from "../argocd/read-project-health.js";
import { listOpenPromotions } from "../github/open-promotions.js";
import { buildDashboardView } from "../pipeline/build-dashboard-view.js";
import { promotionTrust } from "../records/recognise-promotion-pull-request.js";
import { renderStatus } from "../render/render-dashboard.js";
import type { Command, CommandSpec } from "./types.js";

type Status = Extract<Command, { name: "status" }>;

/** `/status`: each stage's health, what it runs, its open promotions and what may be promoted to it. */
export const statusCommand: CommandSpec<Status> = {
  name: "status",
  usage: "/status",
  summary: "show each stage's current freight, available freight and open promotions",
  permission: "anyone",
  arguments: [],
  stage: "none",
  onPromotionPullRequest: true,
  build: () => ({ name: "status" }),
  describe: () => "see the status",
  async run({ deps, octokit, request, project, view }) {
    const pipeline = await view();
    const open = await listOpenPromotions(octokit, { owner: request.owner, repo: request.repo }, project.name, pipeline.freight, await promotionTrust(deps, request.owner, request.repo));
    const dashboard = buildDashboardView({
      project: project.name,
      stages: pipeline.stages,
      freight: pipeline.freight,
      running: new Map([...pipeline.deployments].map(([stage, d]) => [stage, d.freight.name])),
      open,
      health: await readProjectHealth(project, deps.argocd),
      now: deps.clock.now(),
    });
    const holds = [...pipeline.deployments.values()].flatMap((d) => (d.hold ? [`- Auto-promotion is held on **${d.stage}** since ${d.hold.since}: ${d.hold.reason}. Promoting the newest freight there by hand lifts it.`] : []));
    return { answer: [renderStatus(dashboard).trim(), ...holds].join("\n") };
  },
};
