const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go-style duration as Kargo writes them ("90s", "5m", "1h30m") into milliseconds. */
export function parseDuration(text: string, field: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.trim()) {
    throw new Error(`${field}: "${text}" is not a duration; write it like 30s, 5m or 1h30m`);
  }
  return parts.reduce((total, p) => total + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0);
}
