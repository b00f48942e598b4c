import { fixedZone, mod, UTC_ZONE, utcMilliseconds, type Zone } from "./go-zone.js";

/*
 * Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`), which expr-lang's date() and
 * Format() take: the same elements, the same padding, the same parsing leniency (a fractional
 * second after the seconds even when the layout has none).
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

const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type Element =
  | "longMonth" | "month" | "numMonth" | "zeroMonth"
  | "longWeekDay" | "weekDay"
  | "day" | "underDay" | "zeroDay" | "underYearDay" | "zeroYearDay"
  | "hour" | "hour12" | "zeroHour12" | "minute" | "zeroMinute" | "second" | "zeroSecond"
  | "longYear" | "year" | "PM" | "pm" | "TZ"
  | "ISO8601TZ" | "ISO8601SecondsTZ" | "ISO8601ShortTZ" | "ISO8601ColonTZ" | "ISO8601ColonSecondsTZ"
  | "numTZ" | "numSecondsTz" | "numShortTZ" | "numColonTZ" | "numColonSecondsTZ"
  | "fraction0" | "fraction9";

type Chunk = { literal: string } | { element: Element; digits?: number; separator?: string };

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

function chunksOf(layout: string): Chunk[] {
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

/** What a parse found: an instant and the zone it was written in. */
export interface ParsedTime {
  ms: number;
  nanos: number;
  zone: Zone;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  yearDay: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  pm?: boolean;
  utc?: boolean;
  offset?: number;
  zoneName?: string;
}

class ParseFailure extends Error {}

function lookup(names: readonly string[], value: string, length?: number): { index: number; rest: string } {
  for (let i = 0; i < names.length; i++) {
    const name = length === undefined ? (names[i] as string) : (names[i] as string).slice(0, length);
    if (value.slice(0, name.length).toLowerCase() === name.toLowerCase()) return { index: i, rest: value.slice(name.length) };
  }
  throw new ParseFailure("bad value");
}

/** One or two digits (exactly two when `fixed`), or three for year days. */
function number(value: string, fixed: boolean, max = 2): { value: number; rest: string } {
  const digits = /^\d+/.exec(value)?.[0] ?? "";
  if (digits === "" || (fixed && digits.length < max)) throw new ParseFailure("bad number");
  const taken = digits.slice(0, max);
  return { value: Number(taken), rest: value.slice(taken.length) };
}

function nanoseconds(value: string, length: number): number {
  const digits = value.slice(1, length);
  if (!/^\d+$/.test(digits)) throw new ParseFailure("bad fractional second");
  return Number(digits.slice(0, 9).padEnd(9, "0"));
}

function zoneAbbreviationLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return 3 + (/^[+-]\d{1,2}/.exec(value.slice(3))?.[0].length ?? 0);
  const upper = /^[A-Z]*/.exec(value)?.[0].length ?? 0;
  if (upper === 3) return 3;
  if (upper === 4 && (value[3] === "T" || value.startsWith("WITA"))) return 4;
  if (upper === 5 && value[4] === "T") return 5;
  return 0;
}

type Parser = (value: string, fields: Fields, chunk: { digits?: number }, next: Chunk | undefined) => string;

function numericZone(colon: boolean, withMinutes: boolean, withSeconds: boolean, allowZ: boolean): Parser {
  return (value, fields) => {
    if (allowZ && value.startsWith("Z")) {
      fields.utc = true;
      return value.slice(1);
    }
    const pattern = new RegExp(`^([+-])(\\d{2})${withMinutes ? `${colon ? ":" : ""}(\\d{2})` : ""}${withSeconds ? `${colon ? ":" : ""}(\\d{2})` : ""}`);
    const match = pattern.exec(value);
    if (!match) throw new ParseFailure("bad zone offset");
    const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
    fields.offset = match[1] === "-" ? -seconds : seconds;
    return value.slice(match[0].length);
  };
}

function ranged(read: (value: string) => { value: number; rest: string }, min: number, max: number, set: (fields: Fields, value: number) => void): Parser {
  return (value, fields) => {
    const result = read(value);
    if (result.value < min || result.value > max) throw new ParseFailure("value out of range");
    set(fields, result.value);
    return result.rest;
  };
}

const PARSERS: Readonly<Record<Element, Parser>> = {
  longMonth: (value, fields) => {
    const found = lookup(LONG_MONTHS, value);
    fields.month = found.index + 1;
    return found.rest;
  },
  month: (value, fields) => {
    const found = lookup(LONG_MONTHS, value, 3);
    fields.month = found.index + 1;
    return found.rest;
  },
  numMonth: ranged((v) => number(v, false), 1, 12, (f, v) => (f.month = v)),
  zeroMonth: ranged((v) => number(v, true), 1, 12, (f, v) => (f.month = v)),
  longWeekDay: (value) => lookup(LONG_DAYS, value).rest,
  weekDay: (value) => lookup(LONG_DAYS, value, 3).rest,
  day: ranged((v) => number(v, false), 1, 31, (f, v) => (f.day = v)),
  underDay: ranged((v) => number(v.startsWith(" ") ? v.slice(1) : v, false), 1, 31, (f, v) => (f.day = v)),
  zeroDay: ranged((v) => number(v, true), 1, 31, (f, v) => (f.day = v)),
  underYearDay: ranged((v) => number(v.replace(/^ {1,2}/, ""), false, 3), 1, 366, (f, v) => (f.yearDay = v)),
  zeroYearDay: ranged((v) => number(v, true, 3), 1, 366, (f, v) => (f.yearDay = v)),
  hour: ranged((v) => number(v, false), 0, 23, (f, v) => (f.hour = v)),
  hour12: ranged((v) => number(v, false), 0, 12, (f, v) => (f.hour = v)),
  zeroHour12: ranged((v) => number(v, true), 0, 12, (f, v) => (f.hour = v)),
  minute: ranged((v) => number(v, false), 0, 59, (f, v) => (f.minute = v)),
  zeroMinute: ranged((v) => number(v, true), 0, 59, (f, v) => (f.minute = v)),
  second: (value, fields, _chunk, next) => parseSecond(number(value, false), fields, next),
  zeroSecond: (value, fields, _chunk, next) => parseSecond(number(value, true), fields, next),
  longYear: (value, fields) => {
    if (!/^\d{4}/.test(value)) throw new ParseFailure("bad year");
    fields.year = Number(value.slice(0, 4));
    return value.slice(4);
  },
  year: (value, fields) => {
    const found = number(value, true);
    fields.year = found.value + (found.value >= 69 ? 1900 : 2000);
    return found.rest;
  },
  PM: (value, fields) => meridiem(value, fields, ["AM", "PM"]),
  pm: (value, fields) => meridiem(value, fields, ["am", "pm"]),
  TZ: (value, fields) => {
    if (value.startsWith("UTC")) {
      fields.utc = true;
      return value.slice(3);
    }
    const length = zoneAbbreviationLength(value);
    if (length === 0) throw new ParseFailure("bad zone name");
    fields.zoneName = value.slice(0, length);
    return value.slice(length);
  },
  ISO8601TZ: numericZone(false, true, false, true),
  ISO8601SecondsTZ: numericZone(false, true, true, true),
  ISO8601ShortTZ: numericZone(false, false, false, true),
  ISO8601ColonTZ: numericZone(true, true, false, true),
  ISO8601ColonSecondsTZ: numericZone(true, true, true, true),
  numTZ: numericZone(false, true, false, false),
  numSecondsTz: numericZone(false, true, true, false),
  numShortTZ: numericZone(false, false, false, false),
  numColonTZ: numericZone(true, true, false, false),
  numColonSecondsTZ: numericZone(true, true, true, false),
  fraction0: (value, fields, chunk) => {
    const length = 1 + (chunk.digits ?? 0);
    if (value.length < length || !/[.,]/.test(value[0] ?? "")) throw new ParseFailure("bad fractional second");
    fields.nanosecond = nanoseconds(value, length);
    return value.slice(length);
  },
  fraction9: (value, fields) => {
    const match = /^[.,]\d+/.exec(value);
    if (!match) return value;
    fields.nanosecond = nanoseconds(value, match[0].length);
    return value.slice(match[0].length);
  },
};

function parseSecond(found: { value: number; rest: string }, fields: Fields, next: Chunk | undefined): string {
  if (found.value > 59) throw new ParseFailure("second out of range");
  fields.second = found.value;
  const nextIsFraction = next !== undefined && "element" in next && (next.element === "fraction0" || next.element === "fraction9");
  const fraction = nextIsFraction ? null : /^[.,]\d+/.exec(found.rest);
  if (!fraction) return found.rest;
  fields.nanosecond = nanoseconds(found.rest, fraction[0].length);
  return found.rest.slice(fraction[0].length);
}

function meridiem(value: string, fields: Fields, spellings: [string, string]): string {
  const text = value.slice(0, 2);
  if (text !== spellings[0] && text !== spellings[1]) throw new ParseFailure("bad AM/PM");
  fields.pm = text === spellings[1];
  return value.slice(2);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** Go's time.ParseInLocation (time.Parse when `zone` is UTC). */
export function parseLayout(text: string, layout: string, zone: Zone): ParsedTime {
  const fields: Fields = { year: 0, month: 1, day: 1, yearDay: -1, hour: 0, minute: 0, second: 0, nanosecond: 0 };
  const chunks = chunksOf(layout);
  let value = text;
  const fail = (why: string): never => {
    throw new Error(`cannot parse ${JSON.stringify(text)} as ${JSON.stringify(layout)}: ${why}`);
  };
  chunks.forEach((chunk, index) => {
    if ("literal" in chunk) {
      if (!value.startsWith(chunk.literal)) fail(`expected ${JSON.stringify(chunk.literal)} at ${JSON.stringify(value)}`);
      value = value.slice(chunk.literal.length);
      return;
    }
    try {
      value = PARSERS[chunk.element](value, fields, chunk, chunks[index + 1]);
    } catch (error) {
      if (error instanceof ParseFailure) fail(`${error.message} at ${JSON.stringify(value)}`);
      throw error;
    }
  });
  if (value !== "") fail(`extra text ${JSON.stringify(value)}`);
  if (fields.pm === true && fields.hour < 12) fields.hour += 12;
  if (fields.pm === false && fields.hour === 12) fields.hour = 0;
  if (fields.yearDay >= 0) {
    const start = utcMilliseconds(fields.year, 1, fields.yearDay, 0, 0, 0, 0);
    const date = new Date(start);
    if (date.getUTCFullYear() !== fields.year) fail("day-of-year out of range");
    fields.month = date.getUTCMonth() + 1;
    fields.day = date.getUTCDate();
  }
  if (fields.day > daysIn(fields.month, fields.year)) fail("day out of range");
  const local = utcMilliseconds(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, Math.floor(fields.nanosecond / 1e6));
  const nanos = fields.nanosecond % 1e6;
  if (fields.utc) return { ms: local, nanos, zone: UTC_ZONE };
  if (fields.offset !== undefined) {
    const ms = local - fields.offset * 1000;
    const inZone = zone.offsetAt(ms) === fields.offset && (fields.zoneName === undefined || zone.abbreviationAt(ms) === fields.zoneName);
    if (inZone) return { ms, nanos, zone };
    return { ms, nanos, zone: fields.offset === 0 && zone === UTC_ZONE ? UTC_ZONE : fixedZone(fields.zoneName ?? "", fields.offset) };
  }
  if (fields.zoneName !== undefined) {
    const guess = local - zone.offsetAt(local) * 1000;
    if (zone.abbreviationAt(guess) === fields.zoneName) return { ms: guess, nanos, zone };
    const gmt = /^GMT([+-]\d{1,2})$/.exec(fields.zoneName);
    const offset = gmt ? Number(gmt[1]) * 3600 : 0;
    return { ms: local - offset * 1000, nanos, zone: fixedZone(fields.zoneName, offset) };
  }
  return { ms: localToUTC(local, zone), nanos, zone };
}

/** The instant at which the wall clock in `zone` reads `local` (as UTC milliseconds). */
export function localToUTC(local: number, zone: Zone): number {
  let guess = local - zone.offsetAt(local) * 1000;
  guess = local - zone.offsetAt(guess) * 1000;
  return guess;
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
