import type { Redis } from "ioredis";

/**
 * What the App keeps beside the queue: locks, the state of running promotions and small indexes
 * (DESIGN decision 2: caches only — everything in it can be rebuilt from GitHub). In memory for the
 * embedded default, on Redis when REDIS_URL is set, so every replica sees the same values.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Sets the value; with `ttlMs` it disappears after that long. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the value only when the key is absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only while it still holds `value` (a lock released by its holder only). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Extends the key's lifetime only while it still holds `value` (a lock kept alive by its holder). */
  expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export function createMemoryKeyValueStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs);
  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: expiry(ttlMs) });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: expiry(ttlMs) });
      return true;
    },
    async deleteIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      entries.delete(key);
      return true;
    },
    async expireIfEquals(key, value, ttlMs) {
      const entry = live(key);
      if (entry?.value !== value) return false;
      entry.expiresAt = expiry(ttlMs);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

// Compare-and-act must be one step on the server, or another replica could take the key in between.
const DELETE_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;
const EXPIRE_IF_EQUALS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/** Keys live under `<prefix>:kv:`, beside the queue's own keys. */
export function createRedisKeyValueStore(redis: Redis, prefix: string): KeyValueStore {
  const k = (key: string) => `${prefix}:kv:${key}`;
  return {
    async get(key) {
      return (await redis.get(k(key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await redis.set(k(key), value);
      else await redis.set(k(key), value, "PX", Math.max(1, Math.round(ttlMs)));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(k(key), value, "PX", Math.max(1, Math.round(ttlMs)), "NX")) === "OK";
    },
    async deleteIfEquals(key, value) {
      return Number(await redis.eval(DELETE_IF_EQUALS, 1, k(key), value)) === 1;
    },
    async expireIfEquals(key, value, ttlMs) {
      return Number(await redis.eval(EXPIRE_IF_EQUALS, 1, k(key), value, String(Math.max(1, Math.round(ttlMs))))) === 1;
    },
    async delete(key) {
      await redis.del(k(key));
    },
  };
}
