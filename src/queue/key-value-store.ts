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
  /** Sets every key only when none of them is present, in one step; true when this call set them. */
  setAllIfAbsent(keys: string[], value: string, ttlMs: number): Promise<boolean>;
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

/** Writes between two sweeps of expired entries, so keys written once and never read again (dedupe keys) do not pile up. */
const SWEEP_EVERY_WRITES = 1_000;

export function createMemoryKeyValueStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  let writes = 0;
  const put = (key: string, entry: Entry) => {
    entries.set(key, entry);
    if (++writes % SWEEP_EVERY_WRITES !== 0) return;
    const at = now();
    for (const [k, e] of entries) if (e.expiresAt <= at) entries.delete(k);
  };
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
      put(key, { value, expiresAt: expiry(ttlMs) });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      put(key, { value, expiresAt: expiry(ttlMs) });
      return true;
    },
    async setAllIfAbsent(keys, value, ttlMs) {
      if (keys.some((key) => live(key))) return false;
      for (const key of keys) put(key, { value, expiresAt: expiry(ttlMs) });
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
const SET_ALL_IF_ABSENT = `for _, key in ipairs(KEYS) do if redis.call("EXISTS", key) == 1 then return 0 end end
for _, key in ipairs(KEYS) do redis.call("SET", key, ARGV[1], "PX", ARGV[2]) end
return 1`;
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
    async setAllIfAbsent(keys, value, ttlMs) {
      if (keys.length === 0) return true;
      return Number(await redis.eval(SET_ALL_IF_ABSENT, keys.length, ...keys.map(k), value, String(Math.max(1, Math.round(ttlMs))))) === 1;
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
