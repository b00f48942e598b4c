import { chunksOf, LONG_DAYS, LONG_MONTHS, type Chunk, type Element } from "./go-layout.js";
import { fixedZone, localToUTC, UTC_ZONE, utcMilliseconds, type Zone } from "./go-zone.js";

/*
 * Go's time.Parse with a reference-time layout, with Go's leniency: a fractional second after the
 * seconds is read even when the layout has none, `_2` takes a leading space, month and day names
 * match in any case.
 */

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
