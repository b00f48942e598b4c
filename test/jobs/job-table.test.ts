import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { JOB_TABLE, laneOfJob, type Enqueue } from "../../src/jobs/job-table.js";
import { createJobHandlers, type JobDeps } from "../../src/jobs/create-job-handlers.js";
import { BullmqQueue } from "../../src/queue/bullmq-queue.js";
import { MemoryQueue } from "../../src/queue/memory-queue.js";
import type { JobQueue } from "../../src/queue/types.js";
import { createMetrics } from "../../src/web/metrics.js";
import { captureLog } from "../support/capture-log.js";
import { testRedisUrl } from "../support/redis.js";

describe("the job table", () => {
  it("is the one list of jobs: every job has a lane and a payload schema, discovery alone in its lane", () => {
    expect(Object.keys(JOB_TABLE).filter((name) => laneOfJob(name) === "discovery")).toEqual(["discover-warehouse"]);
    expect(laneOfJob("promote")).toBe("work");
  });

  it("types enqueue by it, so a wrong job name or payload does not compile", () => {
    const queued: Array<[string, unknown]> = [];
    const enqueue: Enqueue = async (name, data) => {
      queued.push([name, data]);
      return { id: "1", duplicate: false };
    };
    void enqueue("refresh-dashboard", { installationId: 1, owner: "acme", repo: "gitops" });
    // @ts-expect-error: there is no job called "refresh-dashbaord".
    void enqueue("refresh-dashbaord", { installationId: 1, owner: "acme", repo: "gitops" });
    // @ts-expect-error: refresh-dashboard needs the repository.
    void enqueue("refresh-dashboard", { installationId: 1 });
    expect(queued.map(([name]) => name)).toEqual(["refresh-dashboard", "refresh-dashbaord", "refresh-dashboard"]);
  });
});

describe.each([
  { driver: "memory", make: (): JobQueue => new MemoryQueue(captureLog().log, laneOfJob) },
  { driver: "bullmq", make: (): JobQueue => new BullmqQueue({ redisUrl: testRedisUrl(), log: captureLog().log, prefix: `jobs-${randomUUID()}`, laneOf: laneOfJob }) },
])("a job queued with a payload it does not take, on the $driver driver", ({ make }) => {
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.close();
  });

  it("fails that job once with the reason, and the worker goes on with the next one", async () => {
    queue = make();
    const metrics = createMetrics();
    const dashboards: string[] = [];
    // The dashboard job is the only one this test lets run; a bad payload never reaches it.
    const handlers = createJobHandlers({ metrics, octokitFor: async (id: number) => { dashboards.push(`octokit for ${id}`); throw new Error("stop here"); } } as unknown as JobDeps);
    queue.process({ "refresh-dashboard": handlers["refresh-dashboard"] });
    await queue.enqueue("refresh-dashboard", { installationId: "one", owner: "acme" }, { attempts: 3 });
    await queue.enqueue("refresh-dashboard", { installationId: 7, owner: "acme", repo: "gitops" }, { attempts: 1 });
    await expect.poll(() => dashboards, { timeout: 10_000 }).toEqual(["octokit for 7"]);
    const counted = async (outcome: string) => (await metrics.jobsProcessed.get()).values.find((v) => v.labels.outcome === outcome)?.value;
    await expect.poll(() => counted("bad_payload"), { timeout: 10_000 }).toBe(1);
  });
});
