import { z } from "zod";
import { parseDuration } from "../../promotion/expressions/expr-lang/go-duration.js";
import { checkScheduleOccurs, parseSchedule } from "./window-schedule.js";

/** Windows a stage may have: each is evaluated on every promotion decision. */
export const MAX_WINDOWS = 20;
/** A window lasts at most a year (a longer one is a freeze). */
const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;
/** Where "never occurs" is judged from, so validating a config gives the same answer on any day. */
const VALIDATION_REFERENCE = new Date(Date.UTC(2024, 0, 1));

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "use an IANA time zone such as UTC, Europe/Berlin or America/New_York");

const duration = z.string().max(50).superRefine((text, ctx) => {
  let ms: number;
  try {
    ms = parseDuration(text).ns / 1e6;
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return;
  }
  if (ms <= 0 || ms > MAX_DURATION_MS) ctx.addIssue({ code: "custom", message: "use a duration between 1m and 8784h, e.g. 2h or 64h" });
});

/**
 * One promotion window of a stage, with the field names of Kargo's proposed PromotionWindow
 * (akuity/kargo#5544, promotion windows being a paid feature of Kargo today): while a window is
 * open (from each `schedule` start, for `duration`, in `timeZone`), `allow` lets promotions
 * through and `deny` holds them. With any allow window, promotions wait for one to be open; a deny
 * window wins over an allow window.
 */
export const PromotionWindowSchema = z
  .strictObject({
    kind: z.enum(["allow", "deny"]),
    schedule: z.string().min(1).describe('Five-field cron: when the window opens, e.g. "0 9 * * MON-FRI"'),
    duration: duration.describe("How long it stays open after each start, e.g. 8h"),
    timeZone: timeZone.default("UTC").describe("IANA time zone the schedule is read in"),
  })
  .superRefine((window, ctx) => {
    try {
      checkScheduleOccurs(parseSchedule(window.schedule, window.timeZone), VALIDATION_REFERENCE);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["schedule"], message: (error as Error).message });
    }
  });

export const PromotionWindowsSchema = z.array(PromotionWindowSchema).max(MAX_WINDOWS, `at most ${MAX_WINDOWS} windows per stage`);

/**
 * A freeze on a stage, as `/freeze <stage> [until …] [reason]` records it: promotions are held
 * until `until` (or until someone unfreezes the stage, without it).
 */
export const FreezeSchema = z.strictObject({
  reason: z.string().min(1).max(1_000),
  by: z.string().min(1).max(100).describe("Who froze it (a GitHub login)"),
  at: z.iso.datetime({ offset: true }).optional().describe("When it was frozen; a freeze set for later starts then"),
  until: z.iso.datetime({ offset: true }).optional(),
});

export type PromotionWindow = z.output<typeof PromotionWindowSchema>;
export type Freeze = z.output<typeof FreezeSchema>;
