import type { Clock } from "../../../src/clock.js";

/** A clock whose sleep returns at once after moving time forward, calling `onSleep` first. */
export function steppedClock(start = new Date("2026-01-01T00:00:00Z"), onSleep: (sleeps: number) => void = () => undefined): Clock & { sleeps: number[] } {
  let now = start.getTime();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      onSleep(sleeps.length);
    },
  };
}
