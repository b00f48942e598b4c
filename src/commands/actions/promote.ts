import { availableFreight } from "../../pipeline/available-freight.js";
import { renderComment } from "../../render/render-comment.js";
import { pickFreightToPromote } from "../pick-freight-to-promote.js";
import type { Command } from "../types.js";
import { freightLabel, queuePersonsPromotion } from "./shared.js";
import type { CommandAction } from "./types.js";

/**
 * `/promote <stage> [freight]`: the named freight if it is available to the stage, else the
 * newest available. Choosing anything but the newest puts an auto-promotion hold on the stage
 * (Kargo's rule): auto-promotion would otherwise undo the person's choice at the next freight.
 */
export const promoteAction: CommandAction<Extract<Command, { name: "promote" }>> = async ({ command, deps, request, stage, view }) => {
  if (!stage) return "";
  const pipeline = await view();
  const pipelineStage = pipeline.stages.find((s) => s.name === stage.name)!;
  const now = deps.clock.now();
  const available = availableFreight(pipelineStage, pipeline.stages, pipeline.freight, now);
  const picked = pickFreightToPromote(stage.name, command.freight, available, pipeline.freight);
  if (!picked.ok) return picked.message;
  const alias = freightLabel(picked.freight);
  const newest = available[0]?.name === picked.freight.name;
  await queuePersonsPromotion(deps, request, stage.name, picked.freight, newest ? {} : { hold: { since: now.toISOString(), reason: `@${request.author} promoted ${alias}, not the newest freight, by hand` } });
  const answer = renderComment("promoting", { actor: request.author, stage: stage.name, alias });
  return newest ? `${answer} Its pull request follows.` : `${answer} Its pull request follows. It is not the newest freight available, so auto-promotion is held on ${stage.name} until someone promotes the newest by hand.`;
};
