import { parseDuration } from "../promotion/parse-duration.js";
import { measureSoak } from "./measure-soak.js";
import type { Freight, PipelineStage } from "./types.js";

/**
 * How long until some freight verified upstream has soaked the stage's `requiredSoakTime` there,
 * in ms (the soonest); undefined when nothing is soaking. Auto-promotion looks again then.
 */
export function timeUntilSoaked(stage: PipelineStage, freightList: Freight[], now: Date): number | undefined {
  let soonest: number | undefined;
  stage.requestedFreight.forEach((request, index) => {
    const soakTime = request.sources.requiredSoakTime;
    if (!soakTime) return;
    const required = parseDuration(soakTime, `stage ${stage.name}: requestedFreight[${index}].sources.requiredSoakTime`);
    for (const freight of freightList) {
      if (freight.origin.name !== request.origin.name) continue;
      for (const upstream of request.sources.stages ?? []) {
        const soaked = measureSoak(freight, upstream, now);
        // Only freight still running upstream keeps soaking; a stretch that ended is not counted again.
        if (soaked === undefined || soaked >= required || !freight.status.currentlyIn?.[upstream]) continue;
        soonest = Math.min(soonest ?? Number.POSITIVE_INFINITY, required - soaked);
      }
    }
  });
  return soonest;
}
