import { describe, expect, it } from "vitest";
import { evaluateExpression, evaluateTemplate, ExpressionError, type ExpressionContext } from "../../../../src/promotion/expressions/index.js";

const context: ExpressionContext = {
  clock: { now: () => new Date("2024-08-14T10:20:30.456Z") },
  vars: { createdAt: "2024-08-14T09:50:00Z" },
};
const run = (source: string) => evaluateExpression(source, context);

describe("dates (Go's time.Time)", () => {
  it.each([
    ["now()", "2024-08-14T10:20:30.456Z"],
    ["type(now())", "time.Time"],
    ["now().Year()", 2024],
    ["[now().Month(), now().Day(), now().Hour(), now().Minute(), now().Second()]", [8, 14, 10, 20, 30]],
    ["now().Nanosecond()", 456_000_000],
    ["now().Weekday()", 3],
    ["now().YearDay()", 227],
    ["now().Unix()", 1723630830],
    ["now().UnixMilli()", 1723630830456],
    ['date("2023-08-14")', "2023-08-14T00:00:00Z"],
    ['date("15:04:05")', "0000-01-01T15:04:05Z"],
    ['date("2023-08-14 10:11:12")', "2023-08-14T10:11:12Z"],
    ['date("2023-08-14T00:00:00Z")', "2023-08-14T00:00:00Z"],
    ['date("2023-08-14T10:00:00.123456789+02:00")', "2023-08-14T10:00:00.123456789+02:00"],
    ['date("14 Aug 23 10:00 UTC")', "2023-08-14T10:00:00Z"],
    ['date("Monday, 14-Aug-23 10:00:00 UTC")', "2023-08-14T10:00:00Z"],
    ['date("Mon, 14 Aug 2023 10:00:00 UTC")', "2023-08-14T10:00:00Z"],
    ['date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "Europe/Zurich")', "2023-08-14T00:00:00+02:00"],
    ['date("2023-01-14 00:00:00", "2006-01-02 15:04:05", "Europe/Zurich")', "2023-01-14T00:00:00+01:00"],
    ['date(timezone("America/New_York"), "2023-08-14 12:00", "2006-01-02 15:04")', "2023-08-14T12:00:00-04:00"],
    ['date("14/08/2023 3:04PM", "02/01/2006 3:04PM")', "2023-08-14T15:04:00Z"],
    ['date("2023-227", "2006-002")', "2023-08-15T00:00:00Z"],
    ['date("2023-08-14").In(timezone("Asia/Tokyo")).Hour()', 9],
    ['date("2023-08-14").Format("Monday, January 2, 2006 at 3:04 PM (MST)")', "Monday, August 14, 2023 at 12:00 AM (UTC)"],
    ['date("2023-08-04T05:06:07.5Z").Format("Mon Jan _2 15:04:05.000 06 -07:00 Z07:00 .999")', "Fri Aug  4 05:06:07.500 23 +00:00 Z .5"],
    ['date("2023-08-14").In(timezone("Europe/Zurich")).Format("2006-01-02T15:04:05Z07:00 MST")', "2023-08-14T02:00:00+02:00 CEST"],
    ['string(date("2023-08-14T10:00:00Z"))', "2023-08-14 10:00:00 +0000 UTC"],
    ['date("2023-08-14").AddDate(0, 1, 20)', "2023-10-04T00:00:00Z"],
    ['date("2023-08-14T10:35:00Z").Truncate(duration("1h"))', "2023-08-14T10:00:00Z"],
    ['date("2023-08-14T10:35:00Z").Round(duration("1h"))', "2023-08-14T11:00:00Z"],
    ['date("2023-08-14").Before(date("2023-08-15"))', true],
    ['date("2023-08-14").Equal(date("2023-08-14T02:00:00+02:00"))', true],
    ['date("2023-08-14") == date("2023-08-14T02:00:00+02:00")', true],
    ['date(vars.createdAt) > now() - duration("1h")', true],
    ['date(vars.createdAt) + duration("30m")', "2024-08-14T10:20:00Z"],
    ['now() - date(vars.createdAt)', 1830456000000],
    ['(now() - date(vars.createdAt)).Minutes()', 30.5076],
    ['string(now() - date(vars.createdAt))', "30m30.456s"],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("writes a date as RFC 3339 in a template, as Kargo's JSON does (set-metadata's now())", () => {
    expect(evaluateTemplate("${{ now() }}", context)).toBe("2024-08-14T10:20:30.456Z");
    expect(evaluateTemplate("promoted at ${{ now().Format('2006-01-02 15:04') }}", context)).toBe("promoted at 2024-08-14 10:20");
  });

  it.each([
    ['date("14.08.2023")', /"14.08.2023" is not a date in a known form .* pass its layout as the second argument/],
    ['date("2023-02-30")', /not a date in a known form/],
    ['date("2023-02-30", "2006-01-02")', /cannot parse "2023-02-30" as "2006-01-02": day out of range/],
    ['date("2023-13-01", "2006-01-02")', /value out of range/],
    ['date("2023-08-14x", "2006-01-02")', /extra text "x"/],
    ['date("x", "2006", "Mars/Olympus")', /unknown time zone "Mars\/Olympus"/],
    ['now().Add(1)', /Add\(\): argument 1 must be a duration/],
    ['now() + 1', /"\+" is not defined for time.Time and int/],
  ])("%s fails", (source, message) => {
    let error: unknown;
    try {
      run(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("durations (Go's time.Duration)", () => {
  it.each([
    ['duration("1h30m")', 5_400_000_000_000],
    ['type(duration("1s"))', "time.Duration"],
    ['duration("1.5h").Minutes()', 90],
    ['duration("300ms").Milliseconds()', 300],
    ['duration("1µs").Nanoseconds()', 1000],
    ['duration("1us") == duration("1000ns")', true],
    ['duration("-2m").String()', "-2m0s"],
    ['string(duration("90s"))', "1m30s"],
    ['string(duration("1h"))', "1h0m0s"],
    ['string(duration("1.5s"))', "1.5s"],
    ['string(duration("100ms"))', "100ms"],
    ['string(duration("1500us"))', "1.5ms"],
    ['string(duration("0"))', "0s"],
    ['string(duration("8760h"))', "8760h0m0s"],
    ['duration("1h") + duration("30m") > duration("89m")', true],
    ['string(duration("1m") * 3)', "3m0s"],
    ['duration("1m") * 1.5', 90_000_000_000],
    ['duration("1h20m").Truncate(duration("1h")).String()', "1h0m0s"],
    ['duration("1h40m").Round(duration("1h")).String()', "2h0m0s"],
    ['duration("-1h").Abs().Hours()', 1],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ['duration("1")', /"1" is not a duration \(a unit is missing\)/],
    ['duration("x")', /a number is missing/],
    ['duration("1d")', /unknown unit "d"/],
    ['duration("")', /it is empty/],
    ['duration("1m") / 2', /"\/" is not defined for time.Duration and int/],
  ])("%s fails", (source, message) => {
    let error: unknown;
    try {
      run(source);
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toMatch(message);
  });
});
