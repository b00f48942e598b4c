export interface AuthChallenge {
  scheme: "bearer" | "basic";
  params: Record<string, string>;
}

/**
 * Reads a registry's `WWW-Authenticate` header (RFC 7235 auth-params, quoted or bare values). Only
 * the first challenge is used, as Docker's client does. Undefined when the header is missing or
 * names a scheme registries do not use.
 */
export function parseWwwAuthenticate(header: string | null): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== "bearer" && scheme !== "basic") return undefined;
  const params: Record<string, string> = {};
  const pair = /([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  const rest = match[2] ?? "";
  pair.lastIndex = 0;
  let found: RegExpExecArray | null;
  while (pair.lastIndex < rest.length && (found = pair.exec(rest))) {
    params[found[1]!.toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, "$1") : (found[3] ?? "");
  }
  return { scheme, params };
}
