import { pickRollbackTarget } from "../pipeline/pick-rollback-target.js";
import { renderComment } from "../render/render-comment.js";
import { freightLabel, personsPromotion } from "./freight-words.js";
import { resolveFreight } from "./resolve-freight.js";
import type { Command, CommandSpec } from "./types.js";

type Rollback = Extract<Command, { name: "rollback" }>;

/**
 * `/rollback <stage> [freight]`: promotes the freight verified there before the one it runs now
 * (or the one named, if it was verified there), as a promotion with `rollback` set, and holds
 * auto-promotion on the stage so the next freight does not undo it.
 */
export const rollbackCommand: CommandSpec<Rollback> = {
  name: "rollback",
  usage: "/rollback <stage> [freight]",
  summary: "promote the previous verified freight (or the one named) to a stage and hold auto-promotion there",
  permission: "promoters",
  arguments: [
    { name: "stage", kind: "stage" },
    { name: "freight", kind: "freight", optional: true },
  ],
  stage: "named",
  onPromotionPullRequest: true,
  build: (values) => ({ name: "rollback", stage: values.stage as string, freight: values.freight }),
  describe: (_command, stage) => `roll back ${stage}`,
  async run({ command, deps, request, stage, view }) {
    if (!stage) return { answer: "" };
    const pipeline = await view();
    let requested;
    if (command.freight) {
      const found = resolveFreight(command.freight, pipeline.freight);
      if (!found.ok) return { answer: found.message };
      requested = found.freight;
    }
    const target = pickRollbackTarget(stage.name, pipeline.freight, requested);
    if (!target.ok) return { answer: target.message };
    const alias = freightLabel(target.freight);
    const hold = { since: deps.clock.now().toISOString(), reason: `@${request.author} rolled ${stage.name} back to ${alias}` };
    return {
      answer: `${renderComment("rollingBack", { actor: request.author, stage: stage.name, alias })} Its pull request follows.`,
      followUps: [personsPromotion(stage.name, target.freight, { rollback: true, hold })],
    };
  },
};
