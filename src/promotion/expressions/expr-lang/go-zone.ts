/** A time zone as Go's time.Location sees it: an offset and an abbreviation at each instant. */
export interface Zone {
  readonly name: string;
  /** Seconds east of UTC at the instant `ms` (milliseconds since the Unix epoch). */
  offsetAt(ms: number): number;
  /** `CET`, `EST`, `UTC`…; "" when the zone has none (a bare numeric offset). */
  abbreviationAt(ms: number): string;
}

export const UTC_ZONE: Zone = { name: "UTC", offsetAt: () => 0, abbreviationAt: () => "UTC" };

export function fixedZone(name: string, offsetSeconds: number): Zone {
  return { name, offsetAt: () => offsetSeconds, abbreviationAt: () => name };
}

/** ICU spells most zones' abbreviations in one of these (CEST in en-GB, EDT in en-US, AEST in en-AU). */
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-AU"];

/** Loaded zones, kept so a loop over dates does not build a formatter per element. */
const ZONES = new Map<string, Zone>();
const MAX_CACHED_ZONES = 64;

/**
 * Go's time.LoadLocation over the IANA database that Node ships (Intl). "Local" is UTC: the App
 * runs without a local zone of its own, as Kargo's controller does in its container.
 */
export function loadZone(name: string): Zone {
  if (name === "" || name === "UTC" || name === "Local") return UTC_ZONE;
  const known = ZONES.get(name);
  if (known) return known;
  let fields: Intl.DateTimeFormat;
  let names: Intl.DateTimeFormat[];
  try {
    fields = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    names = ABBREVIATION_LOCALES.map((locale) => new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: "short" }));
  } catch {
    throw new Error(`unknown time zone ${JSON.stringify(name)}; use an IANA name such as Europe/Zurich or America/New_York`);
  }
  const zone: Zone = {
    name,
    offsetAt(ms) {
      const parts: Record<string, number> = {};
      for (const part of fields.formatToParts(new Date(ms))) parts[part.type] = Number(part.value);
      const local = utcMilliseconds(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, 0);
      return Math.round((local - (ms - mod(ms, 1000))) / 1000);
    },
    abbreviationAt(ms) {
      const date = new Date(ms);
      const spelled = names.map((format) => format.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "");
      const letters = spelled.find((abbreviation) => !/^GMT[+-]/.test(abbreviation));
      if (letters !== undefined) return letters;
      // Where the zone database has no letters, Go writes the offset: GMT+5:30 is "+0530", GMT+9 "+09".
      const [, sign, hours, minutes] = /^GMT([+-])(\d+)(?::(\d+))?$/.exec(spelled[0] ?? "") ?? [];
      return sign ? `${sign}${(hours ?? "").padStart(2, "0")}${minutes ?? ""}` : "";
    },
  };
  if (ZONES.size < MAX_CACHED_ZONES) ZONES.set(name, zone);
  return zone;
}

/** Milliseconds since the epoch for a UTC calendar time; out-of-range fields roll over as in Go's time.Date. */
export function utcMilliseconds(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

export function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** The instant at which the wall clock in `zone` reads `local` (as UTC milliseconds). */
export function localToUTC(local: number, zone: Zone): number {
  let guess = local - zone.offsetAt(local) * 1000;
  guess = local - zone.offsetAt(guess) * 1000;
  return guess;
}
