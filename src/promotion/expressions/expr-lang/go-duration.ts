import type { JsonValue } from "../types.js";
import { describeValue } from "./arguments.js";
import { bindMethod, makeFloat, TaggedValue, type Method, type MethodTable, type Value } from "./values.js";

const NANOSECOND = 1;
const MICROSECOND = 1_000;
const MILLISECOND = 1_000_000;
const SECOND = 1_000_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's time.Duration range (int64 nanoseconds). */
const MAX_DURATION = 2 ** 63;

const UNITS: Readonly<Record<string, number>> = {
  ns: NANOSECOND,
  us: MICROSECOND,
  "\u00b5s": MICROSECOND,
  "\u03bcs": MICROSECOND,
  ms: MILLISECOND,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

const METHODS: MethodTable<DurationValue> = {
  Hours: { arity: [0, 0], call: (d) => makeFloat(d.ns / HOUR) },
  Minutes: { arity: [0, 0], call: (d) => makeFloat(d.ns / MINUTE) },
  Seconds: { arity: [0, 0], call: (d) => makeFloat(d.ns / SECOND) },
  Milliseconds: { arity: [0, 0], call: (d) => Math.trunc(d.ns / MILLISECOND) },
  Microseconds: { arity: [0, 0], call: (d) => Math.trunc(d.ns / MICROSECOND) },
  Nanoseconds: { arity: [0, 0], call: (d) => d.ns },
  String: { arity: [0, 0], call: (d) => formatDuration(d.ns) },
  Abs: { arity: [0, 0], call: (d) => new DurationValue(Math.abs(d.ns)) },
  Truncate: { arity: [1, 1], call: (d, args) => d.truncate(durationArg(args, 0).ns) },
  Round: { arity: [1, 1], call: (d, args) => d.round(durationArg(args, 0).ns) },
};

/** Go's time.Duration: whole nanoseconds. `duration("1h30m")`, `date2 - date1`. */
export class DurationValue extends TaggedValue {
  readonly typeName = "time.Duration";

  constructor(readonly ns: number) {
    super();
    if (!Number.isFinite(ns) || Math.abs(ns) > MAX_DURATION) throw new Error("the duration is out of range (about ±292 years)");
  }

  override method(name: string): Method | undefined {
    return bindMethod(METHODS, this, name);
  }

  override methodNames(): string[] {
    return Object.keys(METHODS);
  }

  /** encoding/json writes a Duration as its number of nanoseconds. */
  override toJSON(): JsonValue {
    return this.ns;
  }

  override toText(): string {
    return formatDuration(this.ns);
  }

  override equals(other: Value): boolean {
    return other instanceof DurationValue && other.ns === this.ns;
  }

  override compare(other: Value): number | undefined {
    return other instanceof DurationValue ? Math.sign(this.ns - other.ns) : undefined;
  }

  truncate(multiple: number): DurationValue {
    return multiple <= 0 ? this : new DurationValue(this.ns - (this.ns % multiple));
  }

  round(multiple: number): DurationValue {
    if (multiple <= 0) return this;
    const remainder = this.ns % multiple;
    const down = this.ns - remainder;
    if (Math.abs(remainder) * 2 < multiple) return new DurationValue(down);
    return new DurationValue(down + (this.ns < 0 ? -multiple : multiple));
  }
}

/** Go's time.ParseDuration: `300ms`, `-1.5h`, `2h45m`; units ns, us (µs), ms, s, m, h. */
export function parseDuration(text: string): DurationValue {
  const invalid = (why: string): never => {
    throw new Error(`${JSON.stringify(text)} is not a duration (${why}); write it as e.g. 90s, 1h30m or 250ms`);
  };
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return new DurationValue(0);
  if (rest === "") invalid("it is empty");
  let total = 0;
  while (rest !== "") {
    const part = /^(\d*)(?:\.(\d*))?/.exec(rest) as RegExpExecArray;
    const whole = part[1] ?? "";
    const fraction = part[2];
    if (whole === "" && (fraction === undefined || fraction === "")) invalid("a number is missing");
    rest = rest.slice(part[0].length);
    const unitText = /^[^\d.]*/.exec(rest)?.[0] ?? "";
    if (unitText === "") invalid("a unit is missing");
    const unit = UNITS[unitText];
    if (unit === undefined) invalid(`unknown unit ${JSON.stringify(unitText)}`);
    rest = rest.slice(unitText.length);
    total += Number(whole || "0") * (unit as number);
    if (fraction) total += Math.floor((Number(fraction.slice(0, 15)) * (unit as number)) / 10 ** Math.min(fraction.length, 15));
    if (total > MAX_DURATION) invalid("it is too large");
  }
  return new DurationValue(negative ? -total : total);
}

/** Go's Duration.String: `1h0m0s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  let u = BigInt(Math.trunc(Math.abs(ns)));
  const sign = ns < 0 ? "-" : "";
  if (u < BigInt(SECOND)) {
    const [scale, unit] = u < BigInt(MICROSECOND) ? [0, "ns"] : u < BigInt(MILLISECOND) ? [3, "\u00b5s"] : [6, "ms"];
    return `${sign}${withFraction(u, scale as number)}${unit as string}`;
  }
  const seconds = withFraction(u % BigInt(MINUTE), 9);
  u /= BigInt(MINUTE);
  if (u === 0n) return `${sign}${seconds}s`;
  const minutes = u % 60n;
  const hours = u / 60n;
  return `${sign}${hours > 0n ? `${hours}h` : ""}${minutes}m${seconds}s`;
}

/** `value` divided by 10^scale, with the fraction's trailing zeros dropped. */
function withFraction(value: bigint, scale: number): string {
  if (scale === 0) return String(value);
  const divisor = 10n ** BigInt(scale);
  const fraction = String(value % divisor).padStart(scale, "0").replace(/0+$/, "");
  return `${value / divisor}${fraction ? `.${fraction}` : ""}`;
}

export function durationArg(args: Value[], index: number): DurationValue {
  const value = args[index];
  if (!(value instanceof DurationValue)) throw new Error(`argument ${index + 1} must be a duration, e.g. duration("1h"), got ${describeValue(value)}`);
  return value;
}
