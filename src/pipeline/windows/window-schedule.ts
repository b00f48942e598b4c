import { Cron } from "croner";

/** Longest schedule text read from a repository. */
export const MAX_SCHEDULE_LENGTH = 100;
/** How far ahead a schedule must occur at least once: a pattern that never fires (Feb 30) is refused. */
const FIRST_OCCURRENCE_HORIZON_MS = 5 * 366 * 24 * 3600 * 1000;

const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/**
 * A window's cron schedule in its time zone, read with croner. Only the five-field form Kargo's
 * proposed PromotionWindow reads (robfig/cron's standard parser: minute hour day-of-month month
 * day-of-week, names like MON and JAN, `@daily` and its kin) is accepted; seconds and years are
 * refused so a schedule means the same here as there. When both day fields are restricted a day
 * matching either counts, as in Vixie cron and robfig/cron.
 */
export function parseSchedule(schedule: string, timeZone: string): Cron {
  const text = schedule.trim();
  if (text.length > MAX_SCHEDULE_LENGTH) throw new Error(`the schedule is longer than ${MAX_SCHEDULE_LENGTH} characters`);
  if (text.startsWith("@")) {
    if (!DESCRIPTORS.has(text.toLowerCase())) throw new Error(`${JSON.stringify(text)} is not one of ${[...DESCRIPTORS].join(", ")}; @every is not a window start`);
  } else if (text.split(/\s+/).length !== 5) {
    throw new Error(`${JSON.stringify(text)} is not a five-field cron schedule (minute hour day-of-month month day-of-week), e.g. "0 9 * * MON-FRI"`);
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone: timeZone, mode: "5-part" });
  } catch (error) {
    throw new Error(`${JSON.stringify(text)} is not a cron schedule: ${(error as Error).message}`);
  }
  return cron;
}

/** Refuses a schedule that never fires within five years from `from` (so no evaluation searches in vain later). */
export function checkScheduleOccurs(cron: Cron, from: Date): void {
  const next = cron.nextRun(from);
  if (!next || next.getTime() - from.getTime() > FIRST_OCCURRENCE_HORIZON_MS) {
    throw new Error(`the schedule ${JSON.stringify(cron.getPattern())} never starts a window in the next five years; check the day and month`);
  }
}

/** The first start strictly after `after`, or undefined. */
export function nextStart(cron: Cron, after: Date): Date | undefined {
  return cron.nextRun(after) ?? undefined;
}

/** The last start strictly before `before` (ms since the epoch), or undefined. */
export function lastStartBefore(cron: Cron, before: number): number | undefined {
  return cron.previousRuns(1, new Date(before))[0]?.getTime();
}
