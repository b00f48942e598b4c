import { stringArg } from "./arguments.js";
import { DateValue, locationArg, LocationValue } from "./date-value.js";
import type { FunctionTable } from "./evaluation.js";
import { parseDuration } from "./go-duration.js";
import { RFC3339 } from "./go-layout.js";
import { parseLayout } from "./parse-go-layout.js";
import { loadZone, UTC_ZONE, type Zone } from "./go-zone.js";
import type { Value } from "./values.js";

/** The layouts date() tries, in order, when none is given (expr-lang's list). */
const DEFAULT_LAYOUTS = ["2006-01-02", "15:04:05", "2006-01-02 15:04:05", RFC3339, "02 Jan 06 15:04 MST", "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST"];

/** expr-lang's date and duration built-ins. Values are Go's time.Time, time.Duration, *time.Location. */
export const DATE_FUNCTIONS: FunctionTable = {
  now: {
    arity: [0, 1],
    call: (args, ev) => DateValue.fromDate(ev.now(), args.length === 1 ? locationArg(args, 0).zone : UTC_ZONE),
  },
  duration: { arity: [1, 1], call: (args) => parseDuration(stringArg(args, 0)) },
  timezone: { arity: [1, 1], call: (args) => new LocationValue(loadZone(stringArg(args, 0))) },
  date: { arity: [1, 4], call: (args) => parseDate(args) },
};

/** date(text), date(text, layout), date(text, layout, zoneName), each optionally after a timezone(). */
function parseDate(all: Value[]): DateValue {
  const located = all[0] instanceof LocationValue;
  const zoneFromArgument: Zone | undefined = located ? (all[0] as LocationValue).zone : undefined;
  const args = located ? all.slice(1) : all;
  if (args.length === 0 || args.length > 3) throw new Error(`takes a date text, then optionally a layout and a time zone name (got ${args.length} after the time zone)`);
  const text = stringArg(args, 0);
  const zone = args.length === 3 ? loadZone(stringArg(args, 2)) : (zoneFromArgument ?? UTC_ZONE);
  if (args.length >= 2) {
    const parsed = parseLayout(text, stringArg(args, 1), zone);
    return new DateValue(parsed.ms, parsed.nanos, parsed.zone);
  }
  for (const layout of DEFAULT_LAYOUTS) {
    try {
      const parsed = parseLayout(text, layout, zone);
      return new DateValue(parsed.ms, parsed.nanos, parsed.zone);
    } catch {
      // The next layout may fit.
    }
  }
  throw new Error(`${JSON.stringify(text)} is not a date in a known form (2006-01-02, 15:04:05, 2006-01-02 15:04:05, RFC 3339, RFC 822, RFC 850, RFC 1123); pass its layout as the second argument`);
}
