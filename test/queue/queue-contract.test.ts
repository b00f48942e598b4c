import { laneOfJob } from "../../src/jobs/job-table.js";
import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { BullmqQueue } from "../../src/queue/bullmq-queue.js";
import { MemoryQueue } from "../../src/queue/memory-queue.js";
import type { JobData, JobQueue } from "../../src/queue/types.js";
import { createSilentLogger } from "../../src/log.js";
import { testRedisUrl } from "../support/redis.js";

type Driver = { name: string; make(): JobQueue };

const drivers: Driver[] = [
  { name: "memory", make: () => new MemoryQueue(createSilentLogger(), laneOfJob) },
  {
    name: "bullmq (real Redis)",
    make: () => new BullmqQueue({ redisUrl: testRedisUrl(), log: createSilentLogger(), prefix: `test-${randomUUID()}`, laneOf: laneOfJob }),
  },
];

function waitFor(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe.each(drivers)("queue driver: $name", ({ make }) => {
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
  });

  it("runs an enqueued job with its data", async () => {
    queue = make();
    const seen: JobData[] = [];
    queue.process({ hello: async (data) => void seen.push(data) });
    await queue.enqueue("hello", { who: "world" });
    await waitFor(() => seen.length === 1, "the job");
    expect(seen).toEqual([{ who: "world" }]);
  });

  it("treats a second enqueue with the same job ID as a duplicate and runs the job once", async () => {
    queue = make();
    let runs = 0;
    queue.process({ delivery: async () => void runs++ });
    const first = await queue.enqueue("delivery", {}, { jobId: "acme/gitops:dev:delivery-1" });
    await waitFor(() => runs === 1, "the first run");
    const second = await queue.enqueue("delivery", {}, { jobId: "acme/gitops:dev:delivery-1" });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    await queue.enqueue("delivery", {}, { jobId: "acme/gitops:dev:delivery-2" });
    await waitFor(() => runs === 2, "the second delivery");
    expect(runs).toBe(2);
  });

  it("runs promotions while discovery is stuck on a slow registry (discovery has a lane of its own)", async () => {
    queue = make();
    let releaseDiscovery!: () => void;
    const stuck = new Promise<void>((resolve) => (releaseDiscovery = resolve));
    const done: string[] = [];
    queue.process({
      "discover-warehouse": async () => {
        await stuck;
        done.push("discovery");
      },
      promote: async () => void done.push("promote"),
    });
    // More stuck discoveries than a worker has slots for work jobs.
    for (let i = 0; i < 6; i++) await queue.enqueue("discover-warehouse", { i });
    await queue.enqueue("promote", {});
    await waitFor(() => done.includes("promote"), "the promotion to run while discovery waits");
    expect(done).toEqual(["promote"]);
    releaseDiscovery();
    await waitFor(() => done.filter((d) => d === "discovery").length === 6, "the discoveries");
  });

  it("retries a failing job and succeeds on a later attempt", async () => {
    queue = make();
    const attempts: number[] = [];
    queue.process({
      flaky: async (_data, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 2) throw new Error("transient");
      },
    });
    await queue.enqueue("flaky", {}, { attempts: 3 });
    await waitFor(() => attempts.length === 2, "the retry", 15_000);
    expect(attempts).toEqual([1, 2]);
  });

  it("keeps one schedule per key and removes it", async () => {
    queue = make();
    await queue.upsertSchedule("poll:acme/gitops:app", 60_000, "poll", { warehouse: "app" });
    await queue.upsertSchedule("poll:acme/gitops:app", 30_000, "poll", { warehouse: "app" });
    await queue.upsertSchedule("poll:acme/gitops:api", 60_000, "poll", { warehouse: "api" });
    expect(await queue.listSchedules()).toEqual(["poll:acme/gitops:api", "poll:acme/gitops:app"]);
    await queue.removeSchedule("poll:acme/gitops:app");
    expect(await queue.listSchedules()).toEqual(["poll:acme/gitops:api"]);
  });

  it("lets a running job finish when closed", async () => {
    queue = make();
    let finished = false;
    let started = false;
    queue.process({
      slow: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
      },
    });
    await queue.enqueue("slow", {});
    await waitFor(() => started, "the job to start");
    const closing = queue;
    queue = undefined;
    await closing.close();
    expect(finished).toBe(true);
  });

  it("answers ping while open", async () => {
    queue = make();
    expect(await queue.ping()).toBe(true);
  });
});

describe("bullmq driver against an unreachable Redis", () => {
  it("fails the enqueue fast instead of buffering, and ping says not ready", async () => {
    const queue = new BullmqQueue({ redisUrl: "redis://127.0.0.1:1", log: createSilentLogger(), prefix: "unreachable", laneOf: laneOfJob });
    try {
      expect(await queue.ping()).toBe(false);
      await expect(queue.enqueue("x", {}, { jobId: "a" })).rejects.toThrow();
    } finally {
      await queue.close().catch(() => undefined);
    }
  });
});

describe("bullmq driver shares state between replicas", () => {
  it("dedupes a delivery enqueued through two app replicas", async () => {
    const prefix = `test-${randomUUID()}`;
    const a = new BullmqQueue({ redisUrl: testRedisUrl(), log: createSilentLogger(), prefix, laneOf: laneOfJob });
    const b = new BullmqQueue({ redisUrl: testRedisUrl(), log: createSilentLogger(), prefix, laneOf: laneOfJob });
    const redis = new Redis(testRedisUrl());
    try {
      const first = await a.enqueue("delivery", {}, { jobId: "shared-1" });
      const second = await b.enqueue("delivery", {}, { jobId: "shared-1" });
      expect([first.duplicate, second.duplicate]).toEqual([false, true]);
      expect(await redis.exists(`${prefix}:dedupe:shared-1`)).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await redis.quit();
    }
  });
});
