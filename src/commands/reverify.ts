import { renderComment } from "../render/render-comment.js";
import { freightLabel, toReference } from "./freight-words.js";
import type { Command, CommandSpec } from "./types.js";

type Reverify = Extract<Command, { name: "reverify" }>;

/** `/reverify <stage>`: runs the stage's verification again for what its newest deployment says runs there. */
export const reverifyCommand: CommandSpec<Reverify> = {
  name: "reverify",
  usage: "/reverify <stage>",
  summary: "run the stage's verification again for the freight it runs now",
  permission: "promoters",
  arguments: [{ name: "stage", kind: "stage" }],
  stage: "named",
  onPromotionPullRequest: true,
  build: (values) => ({ name: "reverify", stage: values.stage as string }),
  describe: (_command, stage) => `re-verify ${stage}`,
  async run({ request, project, stage, view }) {
    if (!stage) return { answer: "" };
    const pipeline = await view();
    const deployment = pipeline.deployments.get(stage.name);
    const environment = stage.spec.github.environment ?? stage.name;
    if (!deployment) return { answer: `Nothing to verify: Stagecoach has recorded no deployment to ${stage.name} (environment \`${environment}\`) yet.` };
    const recorded = pipeline.freight.find((f) => f.name === deployment.freight.name);
    const freight = recorded
      ? toReference(recorded)
      : { name: deployment.freight.name, ...(deployment.freight.alias ? { alias: deployment.freight.alias } : {}), origin: { kind: "Warehouse", name: deployment.freight.warehouse ?? "" } };
    return {
      answer: renderComment("reverifying", { actor: request.author, stage: stage.name, alias: freightLabel(freight) }),
      followUps: [{ kind: "reverify", stage: stage.name, promotionId: deployment.promotionId ?? `${project.name}/${stage.name}/${freight.name.slice(0, 12)}`, freight, sha: deployment.sha, deploymentId: deployment.id }],
    };
  },
};
