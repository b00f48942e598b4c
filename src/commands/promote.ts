import { availableFreight } from "../pipeline/available-freight.js";
import { renderComment } from "../render/render-comment.js";
import { freightLabel, personsPromotion } from "./freight-words.js";
import { pickFreightToPromote } from "./pick-freight-to-promote.js";
import type { Command, CommandSpec } from "./types.js";

type Promote = Extract<Command, { name: "promote" }>;

/**
 * `/promote <stage> [freight]`: the named freight if it is available to the stage, else the
 * newest available. Choosing anything but the newest puts an auto-promotion hold on the stage
 * (Kargo's rule): auto-promotion would otherwise undo the person's choice at the next freight.
 */
export const promoteCommand: CommandSpec<Promote> = {
  name: "promote",
  usage: "/promote <stage> [freight]",
  summary: "promote freight (alias, ID prefix or image tag; default: the newest available) to a stage",
  permission: "promoters",
  arguments: [
    { name: "stage", kind: "stage" },
    { name: "freight", kind: "freight", optional: true },
  ],
  stage: "named",
  onPromotionPullRequest: false,
  build: (values) => ({ name: "promote", stage: values.stage as string, freight: values.freight }),
  describe: (_command, stage) => `promote to ${stage}`,
  async run({ command, deps, request, stage, view }) {
    if (!stage) return { answer: "" };
    const pipeline = await view();
    const pipelineStage = pipeline.stages.find((s) => s.name === stage.name)!;
    const now = deps.clock.now();
    const available = availableFreight(pipelineStage, pipeline.stages, pipeline.freight, now);
    const picked = pickFreightToPromote(stage.name, command.freight, available, pipeline.freight);
    if (!picked.ok) return { answer: picked.message };
    const alias = freightLabel(picked.freight);
    const newest = available[0]?.name === picked.freight.name;
    const hold = newest ? {} : { hold: { since: now.toISOString(), reason: `@${request.author} promoted ${alias}, not the newest freight, by hand` } };
    const answer = `${renderComment("promoting", { actor: request.author, stage: stage.name, alias })} Its pull request follows.`;
    return {
      answer: newest ? answer : `${answer} It is not the newest freight available, so auto-promotion is held on ${stage.name} until someone promotes the newest by hand.`,
      followUps: [personsPromotion(stage.name, picked.freight, hold)],
    };
  },
};
