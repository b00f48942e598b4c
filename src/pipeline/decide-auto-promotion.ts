import { availableFreight } from "./available-freight.js";
import type { Freight, PipelineStage, RequestedFreight, SelectionPolicy } from "./types.js";

/** Set on a stage when someone promotes by hand (a rollback, an older freight): auto-promotion stops there. */
export interface AutoPromotionHold {
  since: string;
  reason: string;
}

export interface AutoPromotionInput {
  stage: PipelineStage;
  stages: PipelineStage[];
  freight: Freight[];
  now: Date;
  hold?: AutoPromotionHold;
}

export type AutoPromotionDecision =
  | { action: "promote"; origin: RequestedFreight["origin"]; freight: Freight; reason: string }
  | { action: "wait"; origin?: RequestedFreight["origin"]; reason: string };

type Selection = { freight: Freight } | { reason: string };

/** How each `autoPromotionOptions.selectionPolicy` picks freight among what is available. */
const SELECT: Record<SelectionPolicy, (input: AutoPromotionInput, request: RequestedFreight, available: Freight[]) => Selection> = {
  NewestFreight: (_input, _request, available) => {
    const [newest] = available;
    return newest ? { freight: newest } : { reason: "no freight is available yet" };
  },
  MatchUpstream: (input, request, available) => {
    const upstreams = request.sources.stages ?? [];
    const [upstream] = upstreams;
    if (upstream === undefined || upstreams.length > 1) {
      return {
        reason:
          `selectionPolicy MatchUpstream needs exactly one upstream stage in sources.stages ` +
          `(found ${upstreams.length}); use NewestFreight or list one stage`,
      };
    }
    const match = available.find((f) => f.status.currentlyIn?.[upstream] !== undefined);
    return match ? { freight: match } : { reason: `nothing ${upstream} runs is available to ${input.stage.name} yet` };
  },
};

/**
 * Whether a stage should start a promotion on its own, one decision per requested warehouse:
 * auto-promotion must be on, the stage must not be held, and the policy's pick must differ from
 * what the stage already runs.
 */
export function decideAutoPromotion(input: AutoPromotionInput): AutoPromotionDecision[] {
  const { stage, hold } = input;
  if (stage.autoPromotionEnabled !== true) {
    return [{ action: "wait", reason: `auto-promotion is off for ${stage.name}; promote with \`/promote ${stage.name}\`` }];
  }
  if (hold) {
    return [
      {
        action: "wait",
        reason: `auto-promotion is held on ${stage.name} since ${hold.since} (${hold.reason}); promote by hand to move on`,
      },
    ];
  }
  const available = availableFreight(stage, input.stages, input.freight, input.now);
  return stage.requestedFreight.map((request): AutoPromotionDecision => {
    const { origin } = request;
    const fromOrigin = available.filter((f) => f.origin.name === origin.name && f.origin.kind === origin.kind);
    const policy = request.sources.autoPromotionOptions?.selectionPolicy ?? "NewestFreight";
    const selection = SELECT[policy](input, request, fromOrigin);
    if ("reason" in selection) return { action: "wait", origin, reason: selection.reason };
    const label = selection.freight.alias ?? selection.freight.name;
    if (selection.freight.status.currentlyIn?.[stage.name]) {
      return { action: "wait", origin, reason: `${stage.name} already runs ${label}` };
    }
    return { action: "promote", origin, freight: selection.freight, reason: `${policy}: ${label} for ${stage.name}` };
  });
}
