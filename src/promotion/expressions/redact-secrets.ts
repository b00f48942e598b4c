/** What a secret value is replaced with. */
export const REDACTED = "***";

/**
 * Replaces every occurrence of the given secret values in `text` (longest first, so a secret that
 * contains another is replaced whole). Callers pass the values an evaluation collected in
 * ExpressionContext.revealedSecrets before text goes to a log, a pull request or a check run.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const values = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}
