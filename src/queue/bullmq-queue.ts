import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../log.js";
import { LANE_CONCURRENCY, LANES, type Lane, type LaneOf } from "./lanes.js";
import { createProducerConnection, createWorkerConnection, describeRedisUrl } from "./redis-connection.js";
import {
  BACKOFF_BASE_MS,
  DEDUPE_WINDOW_MS,
  DEFAULT_ATTEMPTS,
  type EnqueueOptions,
  type EnqueueResult,
  type JobData,
  type JobHandler,
  type JobQueue,
  PermanentJobError,
} from "./types.js";

export interface BullmqQueueOptions {
  redisUrl: string;
  log: Logger;
  /** Key prefix, so tests and several apps can share one Redis. */
  prefix?: string;
  queueName?: string;
  /** Which lane each job runs in (the job table's). */
  laneOf: LaneOf;
  /** Jobs of the work lane run at once per replica (the discovery lane has its own). */
  concurrency?: number;
}

/**
 * The distributed driver: any number of replicas share one BullMQ queue on Redis. Redelivery dedupe
 * uses its own SET NX key rather than BullMQ's job ID collision, because BullMQ does not tell the
 * caller that an add was a duplicate and finished jobs are trimmed. Each lane (see lanes.ts) is a
 * queue of its own with its own worker, so discovery cannot take every worker slot.
 */
export class BullmqQueue implements JobQueue {
  readonly driver = "bullmq" as const;
  private readonly producer: Redis;
  private readonly queues: Map<Lane, Queue>;
  private readonly workers: Worker[] = [];
  private workerConnection: Redis | undefined;
  private readonly prefix: string;
  private readonly queueName: string;

  constructor(private readonly options: BullmqQueueOptions) {
    this.prefix = options.prefix ?? "stagecoach";
    this.queueName = options.queueName ?? "jobs";
    this.producer = createProducerConnection(options.redisUrl);
    this.producer.on("error", (error) => options.log.warn({ err: error.message }, "redis (producer) connection error"));
    this.queues = new Map(
      LANES.map((lane) => {
        const queue = new Queue(this.laneQueueName(lane), { connection: this.producer, prefix: this.prefix });
        queue.on("error", (error) => options.log.warn({ err: error.message, lane }, "queue error"));
        return [lane, queue] as const;
      }),
    );
  }

  private laneQueueName(lane: Lane): string {
    return lane === "work" ? this.queueName : `${this.queueName}-${lane}`;
  }

  private queueFor(jobName: string): Queue {
    return this.queues.get(this.options.laneOf(jobName))!;
  }

  async enqueue(name: string, data: JobData, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    await this.connected();
    if (options.jobId) {
      const key = `${this.prefix}:dedupe:${options.jobId}`;
      const fresh = await this.producer.set(key, "1", "PX", DEDUPE_WINDOW_MS, "NX");
      if (fresh === null) return { id: options.jobId, duplicate: true };
      try {
        await this.add(name, data, options);
      } catch (error) {
        await this.producer.del(key).catch(() => undefined);
        throw error;
      }
      return { id: options.jobId, duplicate: false };
    }
    const job = await this.add(name, data, options);
    return { id: job.id ?? "", duplicate: false };
  }

  process(handlers: Record<string, JobHandler>): void {
    const log = this.options.log;
    this.workerConnection = createWorkerConnection(this.options.redisUrl);
    this.workerConnection.on("error", (error) => log.warn({ err: error.message }, "redis (worker) connection error"));
    for (const lane of LANES) {
      const worker = new Worker(
        this.laneQueueName(lane),
        async (job: Job) => {
          const handler = handlers[job.name];
          if (!handler) throw new UnrecoverableError(`no handler registered for job "${job.name}"`);
          try {
            await handler(job.data as JobData, {
              id: job.id ?? "",
              name: job.name,
              attempt: job.attemptsMade + 1,
              lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
              log: log.child({ job: job.name, jobId: job.id }),
            });
          } catch (error) {
            // BullMQ's own way to say "no retry": the job fails once, the worker goes on.
            if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
            throw error;
          }
        },
        {
          connection: this.workerConnection,
          prefix: this.prefix,
          concurrency: lane === "work" ? (this.options.concurrency ?? LANE_CONCURRENCY.work) : LANE_CONCURRENCY[lane],
          ...STALL_RECOVERY,
        },
      );
      worker.on("error", (error) => log.warn({ err: error.message, lane }, "worker error"));
      worker.on("failed", (job, error) => log.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, "job failed"));
      this.workers.push(worker);
    }
  }

  async upsertSchedule(key: string, everyMs: number, name: string, data: JobData): Promise<void> {
    await this.queueFor(name).upsertJobScheduler(key, { every: everyMs }, { name, data, opts: { attempts: 1 } });
  }

  async removeSchedule(key: string): Promise<void> {
    for (const queue of this.queues.values()) await queue.removeJobScheduler(key);
  }

  async listSchedules(): Promise<string[]> {
    const keys: string[] = [];
    for (const queue of this.queues.values()) keys.push(...(await queue.getJobSchedulers(0, -1, true)).map((s) => s.key));
    return [...new Set(keys)].sort();
  }

  async ping(): Promise<boolean> {
    try {
      await this.connected();
      return (await this.producer.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.producer.status !== "ready") {
      // Redis is gone: nothing can finish cleanly, and BullMQ would wait for a reconnect forever.
      this.producer.disconnect();
      this.workerConnection?.disconnect();
      await Promise.allSettled([...this.workers.map((w) => w.close(true)), ...[...this.queues.values()].map((q) => q.close())]);
      return;
    }
    // Worker.close() waits for the jobs it is running to finish before resolving.
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.producer.quit().catch(() => this.producer.disconnect());
  }

  /**
   * With the offline queue off, a command sent while connecting fails at once; wait briefly for the
   * first connection instead, then report the outage plainly.
   */
  private async connected(timeoutMs = 2_000): Promise<void> {
    if (this.producer.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Redis at ${describeRedisUrl(this.options.redisUrl)} is not reachable (status: ${this.producer.status}). Check REDIS_URL.`));
      }, timeoutMs);
      const onReady = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.producer.off("ready", onReady);
      };
      this.producer.on("ready", onReady);
    });
  }

  /** Jobs currently waiting, delayed or running (tests and metrics). */
  async countOutstanding(): Promise<number> {
    let total = 0;
    for (const queue of this.queues.values()) {
      const counts = await queue.getJobCounts("waiting", "delayed", "active", "prioritized");
      total += Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return total;
  }

  private add(name: string, data: JobData, options: EnqueueOptions): Promise<Job> {
    return this.queueFor(name).add(name, data, {
      jobId: options.jobId === undefined ? undefined : toBullmqJobId(options.jobId),
      delay: options.delayMs,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: "exponential", delay: BACKOFF_BASE_MS },
      removeOnComplete: { age: DEDUPE_WINDOW_MS / 1000, count: 10_000 },
      removeOnFail: { age: 7 * DEDUPE_WINDOW_MS / 1000 },
    });
  }
}

/**
 * A worker that dies mid-job (kill -9, OOM, a node drained) leaves its job active with a lock that
 * nobody renews. The lock is short and renewed every half of it, the check for stalled jobs runs
 * often, so another replica (or the restarted one) takes the job back within seconds. Jobs are
 * idempotent and resume from their checkpoints, so a job may stall many times without harm:
 * BullMQ's default of failing it after one stall lost promotions that were killed twice.
 */
const STALL_RECOVERY = { lockDuration: 5_000, stalledInterval: 2_500, maxStalledCount: 50 } as const;

/** BullMQ refuses ":" in custom IDs (it is its key separator); escape it reversibly. */
export function toBullmqJobId(jobId: string): string {
  return jobId.replaceAll("%", "%25").replaceAll(":", "%3A");
}
