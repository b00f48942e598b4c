import { parseDuration } from "../promotion/parse-duration.js";
import { measureSoak } from "./measure-soak.js";
import type { Freight, PipelineStage, RequestedFreight } from "./types.js";

/**
 * The freight a stage may be promoted to, newest first, by Kargo's rules: freight approved for
 * the stage by hand; freight from a warehouse the stage takes directly; or freight verified in
 * one (OneOf, the default) or every (All) upstream stage and soaked there `requiredSoakTime`.
 * A control-flow upstream (no steps) verifies nothing, so freight available to it counts as
 * verified there.
 */
export function availableFreight(
  stage: PipelineStage,
  stages: PipelineStage[],
  freightList: Freight[],
  now: Date,
): Freight[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  return freightList
    .filter((freight) => isAvailable(stage, freight, byName, now, new Set()))
    .sort(newestFirst);
}

function newestFirst(a: Freight, b: Freight): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.name.localeCompare(b.name);
}

function isAvailable(
  stage: PipelineStage,
  freight: Freight,
  stages: Map<string, PipelineStage>,
  now: Date,
  visiting: Set<string>,
): boolean {
  // A cycle in requestedFreight is a config error reported elsewhere; here it must not recurse forever.
  if (visiting.has(stage.name)) return false;
  const inner = new Set(visiting).add(stage.name);
  return stage.requestedFreight.some(
    (request, index) =>
      request.origin.name === freight.origin.name &&
      request.origin.kind === freight.origin.kind &&
      (freight.status.approvedFor?.[stage.name] !== undefined ||
        request.sources.direct === true ||
        isVerifiedUpstream(stage, index, request, freight, stages, now, inner)),
  );
}

function isVerifiedUpstream(
  stage: PipelineStage,
  index: number,
  request: RequestedFreight,
  freight: Freight,
  stages: Map<string, PipelineStage>,
  now: Date,
  visiting: Set<string>,
): boolean {
  const upstreams = request.sources.stages ?? [];
  if (upstreams.length === 0) return false;
  const soakTime = request.sources.requiredSoakTime;
  const required = soakTime
    ? parseDuration(soakTime, `stage ${stage.name}: requestedFreight[${index}].sources.requiredSoakTime`)
    : 0;
  const passed = (upstream: string): boolean => {
    const soaked = measureSoak(freight, upstream, now);
    if (soaked !== undefined) return soaked >= required;
    const upstreamStage = stages.get(upstream);
    return upstreamStage?.controlFlow === true && isAvailable(upstreamStage, freight, stages, now, visiting);
  };
  return request.sources.availabilityStrategy === "All" ? upstreams.every(passed) : upstreams.some(passed);
}
