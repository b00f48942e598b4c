import type { Freight } from "./types.js";

/** A promotion whose pull request is still open, or merged and still syncing or verifying. */
export interface OpenPromotion {
  id: string;
  stage: string;
  pullRequest: number;
  freight: Pick<Freight, "name" | "alias" | "createdAt" | "origin">;
  /** Once merged, the change is on its way to the cluster: it runs to the end. */
  merged: boolean;
}

/** A promotion about to start. `manual` when a person asked for this freight (a /promote, a rollback). */
export interface IncomingPromotion {
  stage: string;
  freight: Pick<Freight, "name" | "alias" | "createdAt" | "origin">;
  manual: boolean;
}

export interface SupersedeDecision {
  /** Whether to open the incoming promotion now. */
  start: boolean;
  /** Open pull requests to close with a comment linking the successor. */
  close: OpenPromotion[];
  reason: string;
}

/**
 * Decides what happens when a promotion is about to start while others are open for the same
 * stage (one promotion per stage): the same freight is not opened twice; a merged promotion runs
 * to the end and the newcomer waits; an open PR for older freight of the same warehouse is
 * superseded; a person's explicit request supersedes any unmerged PR.
 */
export function supersede(openPromotions: OpenPromotion[], incoming: IncomingPromotion): SupersedeDecision {
  const sameStage = openPromotions.filter((p) => p.stage === incoming.stage);
  const label = (f: IncomingPromotion["freight"]) => f.alias ?? f.name;

  const duplicate = sameStage.find((p) => p.freight.name === incoming.freight.name);
  if (duplicate) {
    return { start: false, close: [], reason: `${label(incoming.freight)} is already being promoted to ${incoming.stage} in #${duplicate.pullRequest}` };
  }
  const running = sameStage.find((p) => p.merged);
  if (running) {
    return {
      start: false,
      close: [],
      reason: `#${running.pullRequest} (${label(running.freight)}) is merged and still rolling out to ${incoming.stage}; ${label(incoming.freight)} waits for it`,
    };
  }
  const otherOrigin = sameStage.find((p) => !incoming.manual && !sameOrigin(p, incoming));
  if (otherOrigin) {
    return {
      start: false,
      close: [],
      reason: `#${otherOrigin.pullRequest} (${label(otherOrigin.freight)}) promotes freight of warehouse ${otherOrigin.freight.origin.name} to ${incoming.stage}; ${label(incoming.freight)} waits for it`,
    };
  }
  const newer = sameStage.find((p) => !incoming.manual && !isOlder(p, incoming));
  if (newer) {
    return {
      start: false,
      close: [],
      reason: `#${newer.pullRequest} (${label(newer.freight)}) is not older than ${label(incoming.freight)}; it stays open`,
    };
  }
  return {
    start: true,
    close: sameStage,
    reason:
      sameStage.length === 0
        ? `no other promotion is open for ${incoming.stage}`
        : `${label(incoming.freight)} supersedes ${sameStage.map((p) => `#${p.pullRequest}`).join(", ")}`,
  };
}

function sameOrigin(open: OpenPromotion, incoming: IncomingPromotion): boolean {
  return open.freight.origin.name === incoming.freight.origin.name && open.freight.origin.kind === incoming.freight.origin.kind;
}

function isOlder(open: OpenPromotion, incoming: IncomingPromotion): boolean {
  return Date.parse(open.freight.createdAt) < Date.parse(incoming.freight.createdAt);
}
