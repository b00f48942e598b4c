export const REDACTED = "***";

/**
 * The spellings of each secret that may show up in terraform's output: as it is, escaped as in a
 * JSON or HCL string, and each line of a multi-line secret (a PEM key is printed line by line).
 * Longest first, so a secret that contains another is replaced whole.
 */
export function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === "") continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    if (secret.includes("\n")) {
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 4) forms.add(line.trim());
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every form of every secret replaced by ***. */
export function redactText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
  return out;
}

/** A JSON value with every string (keys included) redacted, and any number that spells a secret replaced by ***. */
export function redactValue(value: unknown, forms: readonly string[]): unknown {
  if (typeof value === "string") return redactText(value, forms);
  if (typeof value === "number" && forms.includes(String(value))) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, forms));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactText(key, forms), redactValue(item, forms)]));
  }
  return value;
}
