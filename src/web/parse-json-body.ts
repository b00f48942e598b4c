/**
 * Deepest nesting of arrays and objects a request body may have. GitHub's events nest about a
 * dozen levels and registry notifications fewer; a body nested deeper is built to make the parser
 * and everything that walks the result work for nothing.
 */
export const MAX_JSON_DEPTH = 64;

export type JsonBody = { ok: true; value: unknown } | { ok: false; problem: string; tooDeep: boolean };

/** Whether the text nests deeper than `maxDepth`: one pass, counting brackets outside strings. */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A request body as JSON, within the depth budget. */
export function parseJsonBody(body: Buffer, maxDepth = MAX_JSON_DEPTH): JsonBody {
  const text = body.toString("utf8");
  if (nestsDeeperThan(text, maxDepth)) return { ok: false, problem: `the body nests deeper than ${maxDepth} levels`, tooDeep: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: "the body is not JSON", tooDeep: false };
  }
}
