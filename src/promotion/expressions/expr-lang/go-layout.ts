import { mod, utcMilliseconds, type Zone } from "./go-zone.js";

/*
 * Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`), which expr-lang's date() and
 * Format() take: the same elements and the same padding. Reading a time with a layout is in
 * parse-go-layout.ts.
 */

/** A time's calendar fields in its zone. */
export interface Calendar {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0…999,999,999 */
  nanosecond: number;
  /** 0 = Sunday */
  weekday: number;
  yearDay: number;
  /** Seconds east of UTC. */
  offset: number;
  abbreviation: string;
}

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";
/** The layout of Go's Time.String (without the monotonic clock reading). */
export const GO_TIME_STRING = "2006-01-02 15:04:05.999999999 -0700 MST";

export const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export type Element =
  | "longMonth" | "month" | "numMonth" | "zeroMonth"
  | "longWeekDay" | "weekDay"
  | "day" | "underDay" | "zeroDay" | "underYearDay" | "zeroYearDay"
  | "hour" | "hour12" | "zeroHour12" | "minute" | "zeroMinute" | "second" | "zeroSecond"
  | "longYear" | "year" | "PM" | "pm" | "TZ"
  | "ISO8601TZ" | "ISO8601SecondsTZ" | "ISO8601ShortTZ" | "ISO8601ColonTZ" | "ISO8601ColonSecondsTZ"
  | "numTZ" | "numSecondsTz" | "numShortTZ" | "numColonTZ" | "numColonSecondsTZ"
  | "fraction0" | "fraction9";

export type Chunk = { literal: string } | { element: Element; digits?: number; separator?: string };

// Matched at each position in this order, longest spelling first, as Go's nextStdChunk does.
const SPELLINGS: ReadonlyArray<readonly [string, Element]> = [
  ["January", "longMonth"], ["Jan", "month"], ["Monday", "longWeekDay"], ["Mon", "weekDay"], ["MST", "TZ"],
  ["002", "zeroYearDay"], ["01", "zeroMonth"], ["02", "zeroDay"], ["03", "zeroHour12"], ["04", "zeroMinute"], ["05", "zeroSecond"], ["06", "year"],
  ["15", "hour"], ["1", "numMonth"], ["2006", "longYear"], ["2", "day"], ["__2", "underYearDay"], ["_2", "underDay"],
  ["3", "hour12"], ["4", "minute"], ["5", "second"], ["PM", "PM"], ["pm", "pm"],
  ["-07:00:00", "numColonSecondsTZ"], ["-070000", "numSecondsTz"], ["-07:00", "numColonTZ"], ["-0700", "numTZ"], ["-07", "numShortTZ"],
  ["Z07:00:00", "ISO8601ColonSecondsTZ"], ["Z070000", "ISO8601SecondsTZ"], ["Z07:00", "ISO8601ColonTZ"], ["Z0700", "ISO8601TZ"], ["Z07", "ISO8601ShortTZ"],
];

const layoutCache = new Map<string, Chunk[]>();

export function chunksOf(layout: string): Chunk[] {
  const known = layoutCache.get(layout);
  if (known) return known;
  const chunks: Chunk[] = [];
  let literal = "";
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    // `_2006` is a literal underscore before the year.
    if (rest.startsWith("_2006")) {
      literal += "_";
      i++;
      continue;
    }
    const fraction = /^[.,](0+|9+)(?!\d)/.exec(rest);
    // `Jan` and `Mon` followed by a lower-case letter are words (`Month`), not elements.
    const spelling = fraction ? undefined : SPELLINGS.find(([text]) => rest.startsWith(text) && !((text === "Jan" || text === "Mon") && /^[a-z]/.test(rest.slice(3))));
    if (!fraction && !spelling) {
      literal += layout[i];
      i++;
      continue;
    }
    if (literal) chunks.push({ literal });
    literal = "";
    if (fraction) {
      const digits = fraction[1] as string;
      chunks.push({ element: digits.startsWith("0") ? "fraction0" : "fraction9", digits: digits.length, separator: rest[0] as string });
      i += fraction[0].length;
    } else {
      chunks.push({ element: (spelling as readonly [string, Element])[1] });
      i += (spelling as readonly [string, Element])[0].length;
    }
  }
  if (literal) chunks.push({ literal });
  if (layoutCache.size < 64) layoutCache.set(layout, chunks);
  return chunks;
}

const pad = (value: number, width: number, fill = "0") => String(value).padStart(width, fill);

function formatOffset(offset: number, colon: boolean, withMinutes: boolean, withSeconds: boolean): string {
  const sign = offset < 0 ? "-" : "+";
  const total = Math.abs(offset);
  const hours = pad(Math.floor(total / 3600), 2);
  const minutes = pad(Math.floor(total / 60) % 60, 2);
  const seconds = pad(total % 60, 2);
  const separator = colon ? ":" : "";
  return `${sign}${hours}${withMinutes ? separator + minutes : ""}${withSeconds ? separator + seconds : ""}`;
}

const FORMATTERS: Readonly<Record<Element, (c: Calendar, chunk: { digits?: number; separator?: string }) => string>> = {
  longMonth: (c) => LONG_MONTHS[c.month - 1] as string,
  month: (c) => (LONG_MONTHS[c.month - 1] as string).slice(0, 3),
  numMonth: (c) => String(c.month),
  zeroMonth: (c) => pad(c.month, 2),
  longWeekDay: (c) => LONG_DAYS[c.weekday] as string,
  weekDay: (c) => (LONG_DAYS[c.weekday] as string).slice(0, 3),
  day: (c) => String(c.day),
  underDay: (c) => pad(c.day, 2, " "),
  zeroDay: (c) => pad(c.day, 2),
  underYearDay: (c) => pad(c.yearDay, 3, " "),
  zeroYearDay: (c) => pad(c.yearDay, 3),
  hour: (c) => pad(c.hour, 2),
  hour12: (c) => String(c.hour % 12 || 12),
  zeroHour12: (c) => pad(c.hour % 12 || 12, 2),
  minute: (c) => String(c.minute),
  zeroMinute: (c) => pad(c.minute, 2),
  second: (c) => String(c.second),
  zeroSecond: (c) => pad(c.second, 2),
  longYear: (c) => (c.year < 0 ? `-${pad(-c.year, 4)}` : pad(c.year, 4)),
  year: (c) => pad(Math.abs(c.year) % 100, 2),
  PM: (c) => (c.hour >= 12 ? "PM" : "AM"),
  pm: (c) => (c.hour >= 12 ? "pm" : "am"),
  TZ: (c) => c.abbreviation || formatOffset(c.offset, false, true, false),
  ISO8601TZ: (c) => (c.offset === 0 ? "Z" : formatOffset(c.offset, false, true, false)),
  ISO8601SecondsTZ: (c) => (c.offset === 0 ? "Z" : formatOffset(c.offset, false, true, true)),
  ISO8601ShortTZ: (c) => (c.offset === 0 ? "Z" : formatOffset(c.offset, false, false, false)),
  ISO8601ColonTZ: (c) => (c.offset === 0 ? "Z" : formatOffset(c.offset, true, true, false)),
  ISO8601ColonSecondsTZ: (c) => (c.offset === 0 ? "Z" : formatOffset(c.offset, true, true, true)),
  numTZ: (c) => formatOffset(c.offset, false, true, false),
  numSecondsTz: (c) => formatOffset(c.offset, false, true, true),
  numShortTZ: (c) => formatOffset(c.offset, false, false, false),
  numColonTZ: (c) => formatOffset(c.offset, true, true, false),
  numColonSecondsTZ: (c) => formatOffset(c.offset, true, true, true),
  fraction0: (c, chunk) => `${chunk.separator}${pad(c.nanosecond, 9).slice(0, chunk.digits)}`,
  fraction9: (c, chunk) => {
    const digits = pad(c.nanosecond, 9).slice(0, chunk.digits).replace(/0+$/, "");
    return digits ? `${chunk.separator}${digits}` : "";
  },
};

/** Go's Time.Format. */
export function formatCalendar(calendar: Calendar, layout: string): string {
  let out = "";
  for (const chunk of chunksOf(layout)) out += "literal" in chunk ? chunk.literal : FORMATTERS[chunk.element](calendar, chunk);
  return out;
}

/** The calendar fields of an instant in a zone. */
export function calendarOf(ms: number, nanos: number, zone: Zone): Calendar {
  const offset = zone.offsetAt(ms);
  const local = new Date(ms + offset * 1000);
  const year = local.getUTCFullYear();
  const startOfYear = utcMilliseconds(year, 1, 1, 0, 0, 0, 0);
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nanosecond: mod(ms, 1000) * 1e6 + nanos,
    weekday: local.getUTCDay(),
    yearDay: Math.floor((local.getTime() - startOfYear) / 86_400_000) + 1,
    offset,
    abbreviation: zone.abbreviationAt(ms),
  };
}
