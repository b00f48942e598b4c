import type { Cron } from "croner";
import { parseDuration } from "../../promotion/expressions/expr-lang/go-duration.js";
import type { Freeze, PromotionWindow } from "./promotion-window-schema.js";
import { lastStartBefore, nextStart, parseSchedule } from "./window-schedule.js";

export interface PromotionVerdict {
  allowed: boolean;
  /** Why, in words for a pull request or the dashboard. */
  reason: string;
  /** When promotions are allowed again (not allowed now); absent when nothing known ends the hold (a freeze without `until`). */
  nextOpening?: string;
}

/** Steps and reach of the search for the next opening: each step jumps to a window edge, never minute by minute. */
const MAX_OPENING_STEPS = 50;
const OPENING_HORIZON_MS = 400 * 24 * 3600 * 1000;
/** Jumps followed to find where overlapping starts of a window really close. */
const MAX_CHAIN = 100;

interface ReadWindow {
  window: PromotionWindow;
  cron: Cron;
  durationMs: number;
}

interface Hold {
  reason: string;
  /** When this hold ends; undefined = not by itself. */
  endsAt?: number;
}

/**
 * Whether a promotion into a stage may run at `now`: not while a freeze holds, not inside a deny
 * window, and, when the stage has allow windows, only inside one. When it may not, `nextOpening`
 * is the first moment all of that clears (found by jumping from window edge to window edge, within
 * a year). Windows are read in their own time zones: a 09:00 start is 09:00 on the wall clock
 * there, summer or winter; the duration is elapsed time, so a window across a DST change is an
 * hour longer or shorter on the wall clock.
 */
export function isPromotionAllowed(windows: readonly PromotionWindow[], freezes: readonly Freeze[], now: Date): PromotionVerdict {
  const read = windows.map((window) => ({ window, cron: parseSchedule(window.schedule, window.timeZone), durationMs: parseDuration(window.duration).ns / 1e6 }));
  const holds = holdsAt(read, freezes, now.getTime());
  if (holds.length === 0) return { allowed: true, reason: allowedReason(read, now.getTime()) };
  const opening = findOpening(read, freezes, now.getTime());
  return {
    allowed: false,
    reason: holds.map((h) => h.reason).join("; "),
    ...(opening !== undefined ? { nextOpening: new Date(opening).toISOString() } : {}),
  };
}

function holdsAt(windows: readonly ReadWindow[], freezes: readonly Freeze[], t: number): Hold[] {
  const holds: Hold[] = [];
  for (const freeze of freezes) {
    const from = freeze.at ? Date.parse(freeze.at) : -Infinity;
    const until = freeze.until ? Date.parse(freeze.until) : undefined;
    if (t < from || (until !== undefined && t >= until)) continue;
    holds.push({
      reason: `frozen by @${freeze.by}${until !== undefined ? ` until ${new Date(until).toISOString()}` : " until someone unfreezes it"}: ${freeze.reason}`,
      ...(until !== undefined ? { endsAt: until } : {}),
    });
  }
  for (const read of windows.filter((w) => w.window.kind === "deny")) {
    const open = openAt(read, t);
    if (open) holds.push({ reason: `inside the deny window ${describe(read)} until ${new Date(open.end).toISOString()}`, endsAt: open.end });
  }
  const allows = windows.filter((w) => w.window.kind === "allow");
  if (allows.length > 0 && !allows.some((w) => openAt(w, t))) {
    const starts = allows.map((w) => nextStart(w.cron, new Date(t))?.getTime()).filter((s): s is number => s !== undefined);
    const next = starts.length ? Math.min(...starts) : undefined;
    holds.push({ reason: `outside every allow window (${allows.map(describe).join(", ")})${next !== undefined ? `; the next opens at ${new Date(next).toISOString()}` : ""}`, ...(next !== undefined ? { endsAt: next } : {}) });
  }
  return holds;
}

/**
 * The open stretch of a window around `t` ([start, end), overlapping starts merged), or undefined
 * when it is closed. Merging jumps to the last start before the current end, so a window that
 * starts every minute and lasts a year takes a couple of steps, not half a million.
 */
function openAt(read: ReadWindow, t: number): { start: number; end: number } | undefined {
  // The first start after t - duration is the earliest whose window still covers t, if it began by t.
  const first = nextStart(read.cron, new Date(t - read.durationMs));
  if (!first || first.getTime() > t) return undefined;
  let latest = first.getTime();
  let end = latest + read.durationMs;
  for (let i = 0; i < MAX_CHAIN && end - t <= OPENING_HORIZON_MS; i += 1) {
    const before = lastStartBefore(read.cron, end);
    if (before === undefined || before <= latest) break;
    latest = before;
    end = before + read.durationMs;
  }
  return { start: first.getTime(), end };
}

function findOpening(windows: readonly ReadWindow[], freezes: readonly Freeze[], from: number): number | undefined {
  let t = from;
  for (let step = 0; step < MAX_OPENING_STEPS; step += 1) {
    const holds = holdsAt(windows, freezes, t);
    if (holds.length === 0) return t;
    if (holds.some((h) => h.endsAt === undefined)) return undefined;
    // Every hold must clear: jump to the latest end among them, then look again.
    t = Math.max(...holds.map((h) => h.endsAt as number));
    if (t - from > OPENING_HORIZON_MS) return undefined;
  }
  return undefined;
}

function allowedReason(windows: readonly ReadWindow[], t: number): string {
  const open = windows.filter((w) => w.window.kind === "allow").find((w) => openAt(w, t));
  return open ? `inside the allow window ${describe(open)}` : windows.length > 0 ? "no deny window or freeze applies" : "no window or freeze applies";
}

function describe(read: ReadWindow): string {
  return `"${read.window.schedule}" for ${read.window.duration} (${read.window.timeZone})`;
}
