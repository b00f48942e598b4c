import type { Freight } from "../pipeline/types.js";
import { showWord } from "./show-word.js";

/** Shorter hex prefixes collide too easily to name freight by. */
export const MIN_ID_PREFIX = 7;
const HEX = /^[0-9a-f]+$/;
const LISTED_CANDIDATES = 5;

export type FreightResolution = { ok: true; freight: Freight } | { ok: false; message: string };

/**
 * Finds the freight a user named: an alias first (aliases are unique per project), then an ID
 * prefix of at least 7 hex characters or an image tag. Several matches are refused with the
 * candidates listed, so nobody promotes the wrong build by accident.
 * `scope` completes the sentence "No freight … matches", e.g. "available to prod".
 */
export function resolveFreight(ref: string, freight: Freight[], scope = "known to this project"): FreightResolution {
  const wanted = ref.toLowerCase();
  const byAlias = freight.find((f) => f.alias?.toLowerCase() === wanted);
  if (byAlias) return { ok: true, freight: byAlias };

  const idMatches =
    wanted.length >= MIN_ID_PREFIX && HEX.test(wanted) ? freight.filter((f) => f.name.startsWith(wanted)) : [];
  const tagMatches = freight.filter((f) => f.images?.some((image) => image.tag === ref));
  const matches = [...new Set([...idMatches, ...tagMatches])];

  const [only, ...others] = matches;
  if (only && others.length === 0) return { ok: true, freight: only };
  if (only) {
    const listed = matches.slice(0, LISTED_CANDIDATES).map(describeFreight).join(", ");
    const more = matches.length > LISTED_CANDIDATES ? ` and ${matches.length - LISTED_CANDIDATES} more` : "";
    return {
      ok: false,
      message: `${showWord(ref)} matches ${matches.length} freight ${scope}: ${listed}${more}. Name one by its alias.`,
    };
  }
  const tooShort =
    HEX.test(wanted) && wanted.length < MIN_ID_PREFIX
      ? ` An ID prefix needs at least ${MIN_ID_PREFIX} characters.`
      : "";
  return {
    ok: false,
    message:
      `No freight ${scope} matches ${showWord(ref)}.${tooShort} Name freight by its alias, an ID prefix ` +
      `(${MIN_ID_PREFIX}+ characters) or an image tag; \`/status\` lists the freight.`,
  };
}

function describeFreight(f: Freight): string {
  const tags = (f.images ?? []).map((image) => image.tag).join(", ");
  return `\`${f.alias ?? f.name.slice(0, MIN_ID_PREFIX)}\` (${f.name.slice(0, MIN_ID_PREFIX)}${tags ? `, ${tags}` : ""})`;
}
