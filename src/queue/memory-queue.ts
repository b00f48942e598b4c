import type { Logger } from "../log.js";
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import { LANES, type Lane, type LaneOf } from "./lanes.js";
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

interface PendingJob {
  id: string;
  name: string;
  data: JobData;
  attempts: number;
  attempt: number;
}

/**
 * The embedded default: one process, no Redis. Jobs run one at a time per lane (see lanes.ts) in
 * arrival order, with the same retry and dedupe rules as the BullMQ driver. Nothing survives a restart, which is
 * acceptable because GitHub remains the system of record (DESIGN decision 2).
 */
export class MemoryQueue implements JobQueue {
  readonly driver = "memory" as const;
  private readonly pending = new Map<Lane, PendingJob[]>(LANES.map((lane) => [lane, []]));
  private readonly running = new Map<Lane, Promise<void>>();
  private readonly seen = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private handlers: Record<string, JobHandler> | undefined;
  private closed = false;
  private counter = 0;

  constructor(
    private readonly log: Logger,
    private readonly laneOf: LaneOf,
    private readonly clock: Clock = systemClock,
  ) {}

  async enqueue(name: string, data: JobData, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (this.closed) throw new Error(`queue is closed; job ${name} was not accepted`);
    this.forgetExpired();
    const id = options.jobId ?? `${name}:${++this.counter}`;
    if (this.seen.has(id)) return { id, duplicate: true };
    this.seen.set(id, this.clock.now().getTime());
    const job: PendingJob = { id, name, data, attempts: options.attempts ?? DEFAULT_ATTEMPTS, attempt: 0 };
    if (options.delayMs && options.delayMs > 0) this.later(options.delayMs, () => this.push(job));
    else this.push(job);
    return { id, duplicate: false };
  }

  process(handlers: Record<string, JobHandler>): void {
    this.handlers = handlers;
    this.drain();
  }

  async upsertSchedule(key: string, everyMs: number, name: string, data: JobData): Promise<void> {
    await this.removeSchedule(key);
    const timer = setInterval(() => {
      if (!this.closed) this.push({ id: `${key}:${++this.counter}`, name, data, attempts: 1, attempt: 0 });
    }, everyMs);
    timer.unref();
    this.schedules.set(key, timer);
  }

  async removeSchedule(key: string): Promise<void> {
    const timer = this.schedules.get(key);
    if (timer) clearInterval(timer);
    this.schedules.delete(key);
  }

  async listSchedules(): Promise<string[]> {
    return [...this.schedules.keys()].sort();
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const timer of this.schedules.values()) clearInterval(timer);
    this.timers.clear();
    this.schedules.clear();
    for (const jobs of this.pending.values()) jobs.length = 0;
    await Promise.all(this.running.values());
  }

  /** Resolves once nothing is queued or running (tests and the demo wait on this). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || [...this.pending.values()].some((jobs) => jobs.length > 0)) {
      await (this.running.size > 0 ? Promise.race(this.running.values()) : new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private push(job: PendingJob): void {
    if (this.closed) return;
    this.pending.get(this.laneOf(job.name))!.push(job);
    this.drain();
  }

  private drain(): void {
    if (!this.handlers) return;
    for (const lane of LANES) {
      if (this.running.has(lane)) continue;
      const job = this.pending.get(lane)!.shift();
      if (!job) continue;
      this.running.set(
        lane,
        this.run(job).finally(() => {
          this.running.delete(lane);
          this.drain();
        }),
      );
    }
  }

  private async run(job: PendingJob): Promise<void> {
    const handler = this.handlers?.[job.name];
    const log = this.log.child({ job: job.name, jobId: job.id });
    if (!handler) {
      log.error(`no handler registered for job "${job.name}"; dropping it`);
      return;
    }
    job.attempt += 1;
    try {
      await handler(job.data, { id: job.id, name: job.name, attempt: job.attempt, lastAttempt: job.attempt >= job.attempts, log });
    } catch (error) {
      if (job.attempt < job.attempts && !(error instanceof PermanentJobError)) {
        const delay = BACKOFF_BASE_MS * 2 ** (job.attempt - 1);
        log.warn({ err: error, attempt: job.attempt }, `job failed; retrying in ${delay} ms`);
        this.later(delay, () => this.push(job));
      } else {
        log.error({ err: error, attempt: job.attempt }, "job failed; no attempts left");
      }
    }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private forgetExpired(): void {
    const cutoff = this.clock.now().getTime() - DEDUPE_WINDOW_MS;
    for (const [id, at] of this.seen) {
      if (at >= cutoff) break;
      this.seen.delete(id);
    }
  }
}
