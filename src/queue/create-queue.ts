import type { Logger } from "../log.js";
import { BullmqQueue } from "./bullmq-queue.js";
import { MemoryQueue } from "./memory-queue.js";
import type { LaneOf } from "./lanes.js";
import type { JobQueue } from "./types.js";

/** REDIS_URL selects BullMQ; without it the embedded in-memory queue runs (DESIGN decision 6). */
export function createQueue(options: { redisUrl?: string; log: Logger; prefix?: string; laneOf: LaneOf }): JobQueue {
  if (options.redisUrl) {
    return new BullmqQueue({ redisUrl: options.redisUrl, log: options.log, prefix: options.prefix, laneOf: options.laneOf });
  }
  return new MemoryQueue(options.log, options.laneOf);
}
