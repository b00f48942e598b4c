import type { JsonValue } from "../types.js";
import { describeValue, intArg, stringArg } from "./arguments.js";
import { durationArg, DurationValue } from "./go-duration.js";
import { calendarOf, formatCalendar, GO_TIME_STRING, RFC3339_NANO, type Calendar } from "./go-layout.js";
import { localToUTC, mod, UTC_ZONE, utcMilliseconds, type Zone } from "./go-zone.js";
import { bindMethod, TaggedValue, type Method, type MethodTable, type Value } from "./values.js";

/** Milliseconds from Go's zero time (January 1, year 1, UTC) to the Unix epoch. */
const ZERO_TIME_MS = -62_135_596_800_000;

const DATE_METHODS: MethodTable<DateValue> = {
  Year: { arity: [0, 0], call: (d) => d.calendar().year },
  Month: { arity: [0, 0], call: (d) => d.calendar().month },
  Day: { arity: [0, 0], call: (d) => d.calendar().day },
  Hour: { arity: [0, 0], call: (d) => d.calendar().hour },
  Minute: { arity: [0, 0], call: (d) => d.calendar().minute },
  Second: { arity: [0, 0], call: (d) => d.calendar().second },
  Nanosecond: { arity: [0, 0], call: (d) => d.calendar().nanosecond },
  Weekday: { arity: [0, 0], call: (d) => d.calendar().weekday },
  YearDay: { arity: [0, 0], call: (d) => d.calendar().yearDay },
  Unix: { arity: [0, 0], call: (d) => Math.floor(d.ms / 1000) },
  UnixMilli: { arity: [0, 0], call: (d) => d.ms },
  UnixMicro: { arity: [0, 0], call: (d) => d.ms * 1000 + Math.floor(d.nanos / 1000) },
  Format: { arity: [1, 1], call: (d, args, ev) => ev.text(formatCalendar(d.calendar(), stringArg(args, 0))) },
  String: { arity: [0, 0], call: (d) => d.toText() },
  In: { arity: [1, 1], call: (d, args) => new DateValue(d.ms, d.nanos, locationArg(args, 0).zone) },
  UTC: { arity: [0, 0], call: (d) => new DateValue(d.ms, d.nanos, UTC_ZONE) },
  Local: { arity: [0, 0], call: (d) => new DateValue(d.ms, d.nanos, UTC_ZONE) },
  Location: { arity: [0, 0], call: (d) => new LocationValue(d.zone) },
  Add: { arity: [1, 1], call: (d, args) => d.plus(durationArg(args, 0).ns) },
  Sub: { arity: [1, 1], call: (d, args) => d.minus(dateArg(args, 0)) },
  AddDate: {
    arity: [3, 3],
    call: (d, args) => {
      const c = d.calendar();
      const local = utcMilliseconds(c.year + intArg(args, 0), c.month + intArg(args, 1), c.day + intArg(args, 2), c.hour, c.minute, c.second, Math.floor(c.nanosecond / 1e6));
      return new DateValue(localToUTC(local, d.zone), d.nanos, d.zone);
    },
  },
  Before: { arity: [1, 1], call: (d, args) => (d.compare(dateArg(args, 0)) as number) < 0 },
  After: { arity: [1, 1], call: (d, args) => (d.compare(dateArg(args, 0)) as number) > 0 },
  Equal: { arity: [1, 1], call: (d, args) => d.equals(dateArg(args, 0)) },
  Compare: { arity: [1, 1], call: (d, args) => d.compare(dateArg(args, 0)) as number },
  IsZero: { arity: [0, 0], call: (d) => d.ms === ZERO_TIME_MS && d.nanos === 0 },
  Truncate: { arity: [1, 1], call: (d, args) => d.truncate(durationArg(args, 0).ns, false) },
  Round: { arity: [1, 1], call: (d, args) => d.truncate(durationArg(args, 0).ns, true) },
};

/**
 * Go's time.Time: an instant (milliseconds since the epoch plus the nanoseconds below a
 * millisecond) and the zone it is shown in. `now()`, `date("2024-05-01")`, `t + duration("1h")`.
 */
export class DateValue extends TaggedValue {
  readonly typeName = "time.Time";
  private fields: Calendar | undefined;

  constructor(
    readonly ms: number,
    /** 0…999,999 */
    readonly nanos: number,
    readonly zone: Zone,
  ) {
    super();
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new Error("the date is out of range");
  }

  static fromDate(date: Date, zone: Zone = UTC_ZONE): DateValue {
    return new DateValue(date.getTime(), 0, zone);
  }

  calendar(): Calendar {
    this.fields ??= calendarOf(this.ms, this.nanos, this.zone);
    return this.fields;
  }

  override method(name: string): Method | undefined {
    return bindMethod(DATE_METHODS, this, name);
  }

  override methodNames(): string[] {
    return Object.keys(DATE_METHODS);
  }

  /** encoding/json writes a time as RFC 3339 with nanoseconds. */
  override toJSON(): JsonValue {
    return formatCalendar(this.calendar(), RFC3339_NANO);
  }

  override toText(): string {
    return formatCalendar(this.calendar(), GO_TIME_STRING);
  }

  override equals(other: Value): boolean {
    return other instanceof DateValue && other.ms === this.ms && other.nanos === this.nanos;
  }

  override compare(other: Value): number | undefined {
    if (!(other instanceof DateValue)) return undefined;
    return Math.sign(this.ms - other.ms) || Math.sign(this.nanos - other.nanos);
  }

  plus(ns: number): DateValue {
    const totalNanos = this.nanos + (ns % 1e6);
    return new DateValue(this.ms + Math.trunc(ns / 1e6) + Math.floor(totalNanos / 1e6), mod(totalNanos, 1e6), this.zone);
  }

  minus(other: DateValue): DurationValue {
    return new DurationValue((this.ms - other.ms) * 1e6 + (this.nanos - other.nanos));
  }

  /** Truncate or round to a multiple of `ns` since Go's zero time, as Time.Truncate/Round do. */
  truncate(ns: number, round: boolean): DateValue {
    if (ns <= 0) return this;
    // Nanoseconds since year 1 exceed a double's precision: count them exactly.
    const multiple = BigInt(Math.trunc(ns));
    const sinceZero = BigInt(this.ms - ZERO_TIME_MS) * 1_000_000n + BigInt(this.nanos);
    const remainder = ((sinceZero % multiple) + multiple) % multiple;
    const back = round && remainder * 2n >= multiple ? remainder - multiple : remainder;
    return this.plus(-Number(back));
  }
}

/** Go's *time.Location, from timezone("Europe/Zurich"); `date.In(tz)` shows a date in it. */
export class LocationValue extends TaggedValue {
  readonly typeName = "time.Location";

  constructor(readonly zone: Zone) {
    super();
  }

  override method(name: string): Method | undefined {
    return name === "String" ? { arity: [0, 0], call: () => this.zone.name } : undefined;
  }

  override methodNames(): string[] {
    return ["String"];
  }

  /** A *time.Location has no exported fields, so encoding/json writes `{}`. */
  override toJSON(): JsonValue {
    return {};
  }

  override toText(): string {
    return this.zone.name;
  }

  override equals(other: Value): boolean {
    return other instanceof LocationValue && other.zone.name === this.zone.name;
  }
}

export function dateArg(args: Value[], index: number): DateValue {
  const value = args[index];
  if (!(value instanceof DateValue)) throw new Error(`argument ${index + 1} must be a date, e.g. date("2024-05-01") or now(), got ${describeValue(value)}`);
  return value;
}

export function locationArg(args: Value[], index: number): LocationValue {
  const value = args[index];
  if (!(value instanceof LocationValue)) throw new Error(`argument ${index + 1} must be a time zone, e.g. timezone("Europe/Zurich"), got ${describeValue(value)}`);
  return value;
}
