import { renderComment } from "../../render/render-comment.js";
import type { Command } from "../types.js";
import { freightLabel, toReference } from "./shared.js";
import type { CommandAction } from "./types.js";

/** `/reverify <stage>`: runs the stage's verification again for what its newest deployment says runs there. */
export const reverifyAction: CommandAction<Extract<Command, { name: "reverify" }>> = async ({ deps, request, project, stage, view }) => {
  if (!stage) return "";
  const pipeline = await view();
  const deployment = pipeline.deployments.get(stage.name);
  const environment = stage.spec.github.environment ?? stage.name;
  if (!deployment) return `Nothing to verify: Stagecoach has recorded no deployment to ${stage.name} (environment \`${environment}\`) yet.`;
  const recorded = pipeline.freight.find((f) => f.name === deployment.freight.name);
  const freight = recorded
    ? toReference(recorded)
    : { name: deployment.freight.name, ...(deployment.freight.alias ? { alias: deployment.freight.alias } : {}), origin: { kind: "Warehouse", name: deployment.freight.warehouse ?? "" } };
  await deps.enqueue(
    "verify-stage",
    {
      installationId: request.installationId,
      owner: request.owner,
      repo: request.repo,
      stage: stage.name,
      promotionId: deployment.promotionId ?? `${project.name}/${stage.name}/${freight.name.slice(0, 12)}`,
      freight,
      sha: deployment.sha,
      deploymentId: deployment.id,
    },
    { jobId: `command:${request.requestKey}:reverify:${stage.name}` },
  );
  return renderComment("reverifying", { actor: request.author, stage: stage.name, alias: freightLabel(freight) });
};
