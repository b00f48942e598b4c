import { randomUUID } from "node:crypto";
import type { KeyValueStore } from "./key-value-store.js";

export interface LockOptions {
  /** How long the lock outlives a holder that died without releasing it. */
  ttlMs?: number;
  /** How long to wait for another holder before giving up. */
  waitMs?: number;
  /** Pause between attempts while waiting. */
  pollMs?: number;
}

/** The lock stayed taken for the whole wait; the job fails and the queue retries it later. */
export class LockBusyError extends Error {
  constructor(readonly key: string, waitedMs: number) {
    super(`${key} is still held by another worker after ${Math.round(waitedMs / 1000)} s; the job will be retried`);
    this.name = "LockBusyError";
  }
}

const DEFAULTS = { ttlMs: 120_000, waitMs: 60_000, pollMs: 50 };

/**
 * Runs `work` while holding a lock in the shared store, so two replicas (or two jobs in one) never
 * run it for the same key at once (DESIGN decision 5: one promotion per stage at a time). The lock
 * is renewed while the work runs, and released only by its holder.
 */
export async function withLock<T>(store: KeyValueStore, key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { ttlMs, waitMs, pollMs } = { ...DEFAULTS, ...options };
  const lockKey = `lock:${key}`;
  const token = randomUUID();
  const started = Date.now();
  while (!(await store.setIfAbsent(lockKey, token, ttlMs))) {
    if (Date.now() - started >= waitMs) throw new LockBusyError(key, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const renew = setInterval(() => void store.expireIfEquals(lockKey, token, ttlMs).catch(() => undefined), Math.max(1_000, ttlMs / 3));
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await store.deleteIfEquals(lockKey, token).catch(() => undefined);
  }
}
