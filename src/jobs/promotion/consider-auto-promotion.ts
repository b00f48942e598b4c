import { toReference } from "../../commands/index.js";
import { readPipelineView } from "../../github/read-pipeline-view.js";
import { decideAutoPromotion } from "../../pipeline/decide-auto-promotion.js";
import { timeUntilSoaked } from "../../pipeline/time-until-soaked.js";
import type { Freight } from "../../pipeline/types.js";
import type { PromoteDeps } from "./carry-out-promotion.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type ConsiderAutoPromotionData = JobPayload<"consider-auto-promotion">;

/** A soak that ends later than this is looked at again by the next event or poll instead. */
const MAX_SOAK_WAIT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Whether a stage should now promote on its own, decided from GitHub alone (freight records,
 * their verification check runs, the stages' deployments and holds) by Kargo's rules. Freight that
 * is only available because a person approved it is not auto-promoted: whoever approved it
 * promotes it (Kargo users asked for exactly this, akuity/kargo#3225). When soaking upstream is
 * all that stands in the way, the job looks again the moment the soak ends.
 */
export function considerAutoPromotion(deps: Pick<PromoteDeps, "octokitFor" | "enqueue" | "clock" | "appId" | "store">): JobHandlerOf<"consider-auto-promotion"> {
  return async (input, { log }) => {
    const octokit = await deps.octokitFor(input.installationId);
    const project = await loadRunningConfig(octokit, input.owner, input.repo, deps.store);
    const configured = project.stages.find((s) => s.name === input.stage);
    if (!configured) return;
    // Freight straight from a warehouse needs no verification upstream, and approvals do not count here.
    const direct = configured.spec.requestedFreight.every((r) => r.sources.direct === true);
    const view = await readPipelineView(octokit, { owner: input.owner, repo: input.repo }, project, { ...(deps.appId !== undefined ? { appId: deps.appId } : {}), withChecks: !direct });
    const stage = view.stages.find((s) => s.name === input.stage);
    if (!stage?.autoPromotionEnabled) return;
    const now = deps.clock.now();
    const current = view.deployments.get(stage.name);
    const unapproved = view.freight.map((f): Freight => withoutApprovalFor(f, stage.name));
    const decisions = decideAutoPromotion({ stage, stages: view.stages, freight: unapproved, now, ...(current?.hold ? { hold: current.hold } : {}) });
    for (const decision of decisions) {
      if (decision.action === "wait") {
        log.info({ stage: stage.name, reason: input.reason }, `auto-promotion of ${stage.name}: ${decision.reason}`);
        continue;
      }
      const { freight } = decision;

      log.info({ stage: stage.name, freight: freight.name, reason: input.reason }, `auto-promotion of ${stage.name}: ${decision.reason}`);
      await deps.enqueue(
        "promote",
        { installationId: input.installationId, owner: input.owner, repo: input.repo, stage: stage.name, freight: toReference(freight as Freight & { commit?: string }) },
        // Once per freight and per what the stage ran when it was decided: a stage that moved on may take it again later.
        { jobId: `auto-promote:${input.owner}/${input.repo}:${stage.name}:${freight.name}:${current?.id ?? "none"}` },
      );
    }
    const soakEnds = timeUntilSoaked(stage, unapproved, now);
    if (soakEnds !== undefined && soakEnds <= MAX_SOAK_WAIT_MS) {
      const at = now.getTime() + soakEnds;
      await deps.enqueue("consider-auto-promotion", { ...input, reason: "a soak time ended" }, { delayMs: soakEnds + 1_000, jobId: `soak:${input.owner}/${input.repo}:${stage.name}:${Math.ceil(at / 60_000)}` });
    }
  };
}

function withoutApprovalFor(freight: Freight, stage: string): Freight {
  if (!freight.status.approvedFor?.[stage]) return freight;
  const { [stage]: _approved, ...others } = freight.status.approvedFor;
  return { ...freight, status: { ...freight.status, approvedFor: others } };
}
