import type { Freight } from "../pipeline/types.js";
import { resolveFreight, type FreightResolution } from "./resolve-freight.js";

const HOW_TO_MAKE_AVAILABLE = (stage: string) =>
  `\`/status\` shows where each freight stands; \`/approve <freight> ${stage}\` makes one available by hand.`;

/**
 * The freight a `/promote <stage> [freight]` means: the one named, if it is available to the
 * stage, or else the newest available. Naming freight that exists but is not available yet is
 * refused with how to make it available, as Kargo refuses promoting it.
 */
export function pickFreightToPromote(
  stage: string,
  ref: string | undefined,
  available: Freight[],
  all: Freight[],
): FreightResolution {
  if (ref === undefined) {
    const [newest] = available;
    if (newest) return { ok: true, freight: newest };
    return { ok: false, message: `No freight is available to ${stage} yet. ${HOW_TO_MAKE_AVAILABLE(stage)}` };
  }
  const found = resolveFreight(ref, available, `available to ${stage}`);
  if (found.ok) return found;
  const anywhere = resolveFreight(ref, all);
  if (!anywhere.ok) return anywhere;
  const label = anywhere.freight.alias ?? anywhere.freight.name.slice(0, 7);
  return { ok: false, message: `${label} is not available to ${stage} yet. ${HOW_TO_MAKE_AVAILABLE(stage)}` };
}
