import type { Freight } from "./types.js";

export type RollbackTarget = { ok: true; freight: Freight } | { ok: false; message: string };

/**
 * The freight a `/rollback` returns a stage to: the one named, if it was verified there, or else
 * the most recently verified freight other than the one the stage runs now.
 */
export function pickRollbackTarget(stage: string, freightList: Freight[], requested?: Freight): RollbackTarget {
  const label = (f: Freight) => f.alias ?? f.name;
  if (requested) {
    if (requested.status.currentlyIn?.[stage]) {
      return { ok: false, message: `${stage} already runs ${label(requested)}; nothing to roll back to.` };
    }
    if (!requested.status.verifiedIn?.[stage]) {
      return {
        ok: false,
        message:
          `${label(requested)} was never verified in ${stage}, so it is no rollback target. ` +
          `Use \`/promote ${stage} ${label(requested)}\` to promote it anyway.`,
      };
    }
    return { ok: true, freight: requested };
  }
  const verifiedAt = (f: Freight) => Date.parse(f.status.verifiedIn?.[stage]?.verifiedAt ?? "");
  const [previous] = freightList
    .filter((f) => f.status.verifiedIn?.[stage] !== undefined && f.status.currentlyIn?.[stage] === undefined)
    .sort((a, b) => verifiedAt(b) - verifiedAt(a));
  if (!previous) {
    return {
      ok: false,
      message: `No earlier freight was verified in ${stage}; promote one by hand with \`/promote ${stage} <freight>\`.`,
    };
  }
  return { ok: true, freight: previous };
}
