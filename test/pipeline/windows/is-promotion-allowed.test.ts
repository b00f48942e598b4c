import { describe, expect, it } from "vitest";
import { FreezeSchema, isPromotionAllowed, PromotionWindowSchema, PromotionWindowsSchema, type PromotionWindow } from "../../../src/pipeline/windows/index.js";

const window = (input: Record<string, unknown>): PromotionWindow => PromotionWindowSchema.parse(input);
const at = (iso: string) => new Date(iso);

describe("isPromotionAllowed", () => {
  const officeHours = window({ kind: "allow", schedule: "0 9 * * MON-FRI", duration: "8h", timeZone: "Europe/Berlin" });

  it("allows everything with no window or freeze", () => {
    expect(isPromotionAllowed([], [], at("2026-06-01T03:00:00Z"))).toEqual({ allowed: true, reason: "no window or freeze applies" });
  });

  it("allows inside an allow window and holds outside it, naming the next opening", () => {
    // Wednesday 2026-06-03, 09:30 in Berlin (CEST, UTC+2).
    expect(isPromotionAllowed([officeHours], [], at("2026-06-03T07:30:00Z"))).toEqual({ allowed: true, reason: 'inside the allow window "0 9 * * MON-FRI" for 8h (Europe/Berlin)' });
    // Friday 17:00 Berlin is past the window; the next opens Monday 09:00.
    const friday = isPromotionAllowed([officeHours], [], at("2026-06-05T15:00:00Z"));
    expect(friday.allowed).toBe(false);
    expect(friday.nextOpening).toBe("2026-06-08T07:00:00.000Z");
    expect(friday.reason).toContain("outside every allow window");
  });

  it("reads schedules on the local wall clock across DST: 09:00 Berlin is 08:00Z in winter, 07:00Z in summer", () => {
    expect(isPromotionAllowed([officeHours], [], at("2026-03-27T07:30:00Z")).allowed).toBe(false);
    expect(isPromotionAllowed([officeHours], [], at("2026-03-27T08:30:00Z")).allowed).toBe(true);
    // Friday 2026-03-27 (CET) then Monday 2026-03-30 (CEST, after the change on Sunday the 29th).
    expect(isPromotionAllowed([officeHours], [], at("2026-03-28T12:00:00Z")).nextOpening).toBe("2026-03-30T07:00:00.000Z");
    const newYork = window({ kind: "allow", schedule: "0 9 * * *", duration: "1h", timeZone: "America/New_York" });
    expect(isPromotionAllowed([newYork], [], at("2026-11-01T08:00:00Z")).nextOpening).toBe("2026-11-01T14:00:00.000Z");
    expect(isPromotionAllowed([newYork], [], at("2026-10-31T08:00:00Z")).nextOpening).toBe("2026-10-31T13:00:00.000Z");
  });

  it("counts the duration in elapsed time, and opens a window that starts in the DST gap right after it", () => {
    // 02:30 does not exist in Berlin on 2026-03-29: the window opens at 03:00 CEST (01:00Z).
    const gap = window({ kind: "deny", schedule: "30 2 * * *", duration: "1h", timeZone: "Europe/Berlin" });
    expect(isPromotionAllowed([gap], [], at("2026-03-29T01:30:00Z"))).toMatchObject({ allowed: false, nextOpening: "2026-03-29T02:00:00.000Z" });
    // 24h from 00:00 on the day clocks go back ends at 23:00 local.
    const day = window({ kind: "deny", schedule: "0 0 25 10 *", duration: "24h", timeZone: "Europe/Berlin" });
    expect(isPromotionAllowed([day], [], at("2026-10-25T12:00:00Z")).nextOpening).toBe("2026-10-25T22:00:00.000Z");
  });

  it("lets a deny window win over an allow window, and waits until both agree", () => {
    const lunch = window({ kind: "deny", schedule: "0 12 * * *", duration: "1h", timeZone: "Europe/Berlin" });
    const verdict = isPromotionAllowed([officeHours, lunch], [], at("2026-06-03T10:15:00Z"));
    expect(verdict).toEqual({ allowed: false, reason: 'inside the deny window "0 12 * * *" for 1h (Europe/Berlin) until 2026-06-03T11:00:00.000Z', nextOpening: "2026-06-03T11:00:00.000Z" });
    // Friday 16:30 Berlin: the allow window closes at 17:00, a deny window opens 16:00 for 2h: next is Monday.
    const late = window({ kind: "deny", schedule: "0 16 * * FRI", duration: "2h", timeZone: "Europe/Berlin" });
    expect(isPromotionAllowed([officeHours, late], [], at("2026-06-05T14:30:00Z")).nextOpening).toBe("2026-06-08T07:00:00.000Z");
  });

  it("merges overlapping starts: a window every 15 minutes lasting an hour is one long window", () => {
    const busy = window({ kind: "deny", schedule: "*/15 8-9 * * *", duration: "1h" });
    expect(isPromotionAllowed([busy], [], at("2026-06-03T08:20:00Z")).nextOpening).toBe("2026-06-03T10:45:00.000Z");
  });

  it("holds for a freeze: until its time, or with no known end", () => {
    const dated = FreezeSchema.parse({ reason: "Black Friday", by: "alice", until: "2026-11-30T00:00:00Z" });
    expect(isPromotionAllowed([], [dated], at("2026-11-27T10:00:00Z"))).toEqual({
      allowed: false,
      reason: "frozen by @alice until 2026-11-30T00:00:00.000Z: Black Friday",
      nextOpening: "2026-11-30T00:00:00.000Z",
    });
    expect(isPromotionAllowed([], [dated], at("2026-11-30T00:00:00Z")).allowed).toBe(true);
    const open = FreezeSchema.parse({ reason: "incident 42", by: "bob" });
    const verdict = isPromotionAllowed([officeHours], [open], at("2026-06-03T07:30:00Z"));
    expect(verdict).toEqual({ allowed: false, reason: "frozen by @bob until someone unfreezes it: incident 42" });
    const later = FreezeSchema.parse({ reason: "planned", by: "carol", at: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z" });
    expect(isPromotionAllowed([], [later], at("2026-12-23T00:00:00Z")).allowed).toBe(true);
  });
});

describe("the window schema", () => {
  const problem = (input: Record<string, unknown>) => PromotionWindowSchema.safeParse(input).error?.issues[0]?.message;

  it("defaults the time zone to UTC and accepts cron names and descriptors", () => {
    expect(window({ kind: "deny", schedule: "@daily", duration: "2h" }).timeZone).toBe("UTC");
    expect(window({ kind: "allow", schedule: "0 9 * JAN-MAR TUE,THU", duration: "3h", timeZone: "America/New_York" }).kind).toBe("allow");
  });

  it("refuses bad schedules, durations and zones, naming the fix", () => {
    expect(problem({ kind: "allow", schedule: "0 0 9 * * MON", duration: "1h" })).toContain("not a five-field cron schedule");
    expect(problem({ kind: "allow", schedule: "@every 1h", duration: "1h" })).toContain("@every is not a window start");
    expect(problem({ kind: "allow", schedule: "0 9 * * MON", duration: "forever" })).toContain("is not a duration");
    expect(problem({ kind: "allow", schedule: "0 9 * * MON", duration: "9000h" })).toContain("between 1m and 8784h");
    expect(problem({ kind: "allow", schedule: "0 9 * * MON", duration: "1h", timeZone: "Mars/Olympus" })).toContain("IANA time zone");
    expect(problem({ kind: "maybe", schedule: "0 9 * * MON", duration: "1h" })).toBeDefined();
  });

  it("refuses a schedule that never fires and keeps hostile input within budget", () => {
    expect(problem({ kind: "deny", schedule: "0 0 30 2 *", duration: "1h" })).toContain("never starts a window in the next five years");
    expect(problem({ kind: "deny", schedule: `${"1,".repeat(60)}2 * * * *`, duration: "1h" })).toContain("longer than 100 characters");
    const many = Array.from({ length: 21 }, () => ({ kind: "deny", schedule: "@daily", duration: "1h" }));
    expect(PromotionWindowsSchema.safeParse(many).error?.issues[0]?.message).toBe("at most 20 windows per stage");
  });

  it("answers quickly even for the densest schedules (every minute, merged for a year)", () => {
    const dense = window({ kind: "deny", schedule: "* * * * *", duration: "8784h" });
    const verdict = isPromotionAllowed([dense], [], at("2026-06-03T08:20:00Z"));
    expect(verdict.allowed).toBe(false);
  });
});
