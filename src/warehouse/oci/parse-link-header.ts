/**
 * The `rel="next"` target of a `Link` header (the registry API's tag-list pagination), resolved
 * against the request URL; undefined on the last page.
 */
export function nextLinkOf(header: string | null, requestURL: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /\brel="?next"?/i.test(match[2] ?? "")) {
      try {
        return new URL(match[1]!, requestURL).toString();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
