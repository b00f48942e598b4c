import type { Freight } from "./types.js";

/**
 * How long freight has soaked in a stage after verification, in ms: the longest completed stretch,
 * or the current one if it is still there (counted from verification, or from its return to the
 * stage if it came back after being verified). Undefined when it was never verified there.
 */
export function measureSoak(freight: Freight, stage: string, now: Date): number | undefined {
  const verified = freight.status.verifiedIn?.[stage];
  if (!verified) return undefined;
  const current = freight.status.currentlyIn?.[stage];
  const running = current
    ? now.getTime() - Math.max(Date.parse(current.since), Date.parse(verified.verifiedAt))
    : 0;
  return Math.max(verified.longestSoak ?? 0, running);
}
