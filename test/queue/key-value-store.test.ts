import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createMemoryKeyValueStore, createRedisKeyValueStore, type KeyValueStore } from "../../src/queue/key-value-store.js";
import { LockBusyError, withLock } from "../../src/queue/with-lock.js";
import { testRedisUrl } from "../support/redis.js";

const connections: Redis[] = [];
afterAll(() => connections.forEach((c) => c.disconnect()));

/** Two replicas' views of one shared store: two Redis connections, or one memory store for both. */
const drivers: Array<{ name: string; make(): [KeyValueStore, KeyValueStore] }> = [
  {
    name: "memory",
    make: () => {
      const store = createMemoryKeyValueStore();
      return [store, store];
    },
  },
  {
    name: "redis (real)",
    make: () => {
      const prefix = `kv-test-${randomUUID()}`;
      const a = new Redis(testRedisUrl());
      const b = new Redis(testRedisUrl());
      connections.push(a, b);
      return [createRedisKeyValueStore(a, prefix), createRedisKeyValueStore(b, prefix)];
    },
  },
];

describe.each(drivers)("key-value store: $name", ({ make }) => {
  it("sets, reads, expires and deletes values, visible to every replica", async () => {
    const [one, two] = make();
    await one.set("a", "1");
    await one.set("short", "x", 50);
    expect(await two.get("a")).toBe("1");
    expect(await two.get("short")).toBe("x");
    await new Promise((r) => setTimeout(r, 120));
    expect(await two.get("short")).toBeUndefined();
    await two.delete("a");
    expect(await one.get("a")).toBeUndefined();
  });

  it("sets a group of keys only when none is present, one winner among twenty at once", async () => {
    const [one, two] = make();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).setAllIfAbsent(["id:1", "body:abc"], `caller-${i}`, 5_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    // One key of the group already taken is enough to refuse the whole group, and sets none of it.
    expect(await one.setAllIfAbsent(["id:2", "body:abc"], "replay", 5_000)).toBe(false);
    expect(await two.get("id:2")).toBeUndefined();
    expect(await two.setAllIfAbsent(["id:3", "body:def"], "new", 5_000)).toBe(true);
  });

  it("sets only what is absent, and compares before deleting or extending", async () => {
    const [one, two] = make();
    expect(await one.setIfAbsent("k", "mine", 5_000)).toBe(true);
    expect(await two.setIfAbsent("k", "theirs", 5_000)).toBe(false);
    expect(await two.deleteIfEquals("k", "theirs")).toBe(false);
    expect(await two.expireIfEquals("k", "theirs", 50)).toBe(false);
    expect(await one.expireIfEquals("k", "mine", 60)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    // It expired on the shortened lifetime, so anyone may take it now.
    expect(await two.setIfAbsent("k", "theirs", 5_000)).toBe(true);
    expect(await one.deleteIfEquals("k", "mine")).toBe(false);
    expect(await two.deleteIfEquals("k", "theirs")).toBe(true);
  });
});

describe.each(drivers)("withLock on $name", ({ make }) => {
  it("lets one holder at a time run, across replicas, in the order they got the lock", async () => {
    const [one, two] = make();
    const events: string[] = [];
    const work = (name: string, store: KeyValueStore) =>
      withLock(store, "stage:acme/gitops/prod", async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 40));
        events.push(`${name} out`);
        return name;
      }, { pollMs: 5 });
    const results = await Promise.all([work("a", one), work("b", two), work("c", one)]);
    expect(results).toEqual(["a", "b", "c"]);
    // Never two "in" in a row: no overlap.
    for (let i = 0; i < events.length; i += 2) expect([events[i]?.endsWith("in"), events[i + 1]?.endsWith("out")]).toEqual([true, true]);
  });

  it("releases the lock when the work throws, and gives up with LockBusyError after the wait", async () => {
    const [one, two] = make();
    await expect(withLock(one, "x", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withLock(two, "x", async () => "free again")).toBe("free again");
    let release!: () => void;
    const held = withLock(one, "y", () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const error = await withLock(two, "y", async () => "never", { waitMs: 100, pollMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toContain("y is still held by another worker");
    release();
    await held;
  });

  it("takes over a lock whose holder died once its lifetime runs out", async () => {
    const [one, two] = make();
    // A holder that died: its lock was taken and never released or renewed.
    expect(await one.setIfAbsent("lock:z", "dead-worker", 80)).toBe(true);
    expect(await withLock(two, "z", async () => "taken over", { waitMs: 2_000, pollMs: 10 })).toBe("taken over");
  });
});
