import type { Logger } from "../log.js";

/**
 * Everything the app does in the background goes through this interface, so the same job code runs
 * on the embedded in-memory driver and on BullMQ (DESIGN decision 6).
 */
export type JobData = Record<string, unknown>;

export interface EnqueueOptions {
  /**
   * Deterministic ID: enqueuing the same ID again while the first is queued, running or recently
   * finished (24 h) is a no-op. Webhook jobs use the delivery ID, so redeliveries change nothing.
   */
  jobId?: string;
  delayMs?: number;
  /** Attempts before the job is marked failed (default 3), with exponential backoff. */
  attempts?: number;
}

export interface EnqueueResult {
  id: string;
  /** True when a job with this ID already existed, so nothing new was queued. */
  duplicate: boolean;
}

export interface JobContext {
  id: string;
  name: string;
  attempt: number;
  /** True when a failure now will not be retried: the job's last chance to say why it failed. */
  lastAttempt: boolean;
  log: Logger;
}

export type JobHandler = (data: JobData, context: JobContext) => Promise<void>;

/**
 * A job that can never succeed as queued (its payload is not what its job takes): it fails at
 * once with this message, without retries, and the worker carries on with the next job.
 */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export interface JobQueue {
  readonly driver: "memory" | "bullmq";
  enqueue(name: string, data: JobData, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Starts consuming jobs with one handler per job name. */
  process(handlers: Record<string, JobHandler>): void;
  /** Creates or updates a repeating job (warehouse polling); one schedule per key. */
  upsertSchedule(key: string, everyMs: number, name: string, data: JobData): Promise<void>;
  removeSchedule(key: string): Promise<void>;
  listSchedules(): Promise<string[]>;
  /** Resolves when the backing store answers (readiness probe). */
  ping(): Promise<boolean>;
  /** Stops taking jobs, lets running ones finish, then releases connections. */
  close(): Promise<void>;
}

/** Retention of finished job IDs, so a redelivered webhook within a day is recognised. */
export const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ATTEMPTS = 3;
export const BACKOFF_BASE_MS = 1000;
