import { Redis, type RedisOptions } from "ioredis";

/**
 * Connection settings from BullMQ's production guide: workers must never give up on a command
 * (maxRetriesPerRequest: null) and keep reconnecting with a capped backoff; producers (webhook
 * handlers) fail fast instead of buffering while Redis is down, so GitHub sees an error and
 * redelivers rather than the app silently holding events in memory.
 */
function reconnectDelay(attempt: number): number {
  return Math.max(Math.min(Math.exp(attempt), 20_000), 1_000);
}

export function createWorkerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: reconnectDelay, lazyConnect: false });
}

export function createProducerConnection(url: string): Redis {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
    lazyConnect: false,
  };
  return new Redis(url, options);
}

/** Redis URL shown in logs and errors without its password. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}
