import { randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../clock.js";
import type { KeyValueStore } from "./key-value-store.js";

export interface LockOptions {
  /**
   * How long the lock outlives a holder that died without releasing it. Short, because the
   * holder renews it while it lives: a dead worker's lock is free again within seconds.
   */
  ttlMs?: number;
  /** How long to wait for another holder before giving up. */
  waitMs?: number;
  /** Pause between attempts while waiting. */
  pollMs?: number;
  clock?: Clock;
}

/** The lock stayed taken for the whole wait; the job fails and the queue retries it later. */
export class LockBusyError extends Error {
  constructor(readonly key: string, waitedMs: number) {
    super(`${key} is still held by another worker after ${Math.round(waitedMs / 1000)} s; the job will be retried`);
    this.name = "LockBusyError";
  }
}

export const LOCK_DEFAULTS = { ttlMs: 6_000, waitMs: 60_000, pollMs: 50 };
/** Renewed this often, so a lock survives two missed renewals (a busy event loop, a slow Redis). */
const RENEWALS_PER_TTL = 3;

/**
 * Runs `work` while holding a lock in the shared store, so two replicas (or two jobs in one) never
 * run it for the same key at once (DESIGN decision 5: one promotion per stage at a time). The lock
 * is renewed while the work runs, and released only by its holder.
 */
export async function withLock<T>(store: KeyValueStore, key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { ttlMs, waitMs, pollMs } = { ...LOCK_DEFAULTS, ...options };
  const clock = options.clock ?? systemClock;
  const lockKey = `lock:${key}`;
  const token = randomUUID();
  const started = clock.now().getTime();
  while (!(await store.setIfAbsent(lockKey, token, ttlMs))) {
    const waited = clock.now().getTime() - started;
    if (waited >= waitMs) throw new LockBusyError(key, waited);
    await clock.sleep(pollMs);
  }
  const renew = setInterval(() => void store.expireIfEquals(lockKey, token, ttlMs).catch(() => undefined), Math.max(500, ttlMs / RENEWALS_PER_TTL));
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await store.deleteIfEquals(lockKey, token).catch(() => undefined);
  }
}
