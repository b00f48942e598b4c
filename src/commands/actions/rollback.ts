import { pickRollbackTarget } from "../../pipeline/pick-rollback-target.js";
import { renderComment } from "../../render/render-comment.js";
import { resolveFreight } from "../resolve-freight.js";
import type { Command } from "../types.js";
import { freightLabel, queuePersonsPromotion } from "./shared.js";
import type { CommandAction } from "./types.js";

/**
 * `/rollback <stage> [freight]`: promotes the freight verified there before the one it runs now
 * (or the one named, if it was verified there), as a promotion with `rollback` set, and holds
 * auto-promotion on the stage so the next freight does not undo it.
 */
export const rollbackAction: CommandAction<Extract<Command, { name: "rollback" }>> = async ({ command, deps, request, stage, view }) => {
  if (!stage) return "";
  const pipeline = await view();
  let requested;
  if (command.freight) {
    const found = resolveFreight(command.freight, pipeline.freight);
    if (!found.ok) return found.message;
    requested = found.freight;
  }
  const target = pickRollbackTarget(stage.name, pipeline.freight, requested);
  if (!target.ok) return target.message;
  const alias = freightLabel(target.freight);
  const now = deps.clock.now();
  await queuePersonsPromotion(deps, request, stage.name, target.freight, { rollback: true, hold: { since: now.toISOString(), reason: `@${request.author} rolled ${stage.name} back to ${alias}` } });
  return `${renderComment("rollingBack", { actor: request.author, stage: stage.name, alias })} Its pull request follows.`;
};
