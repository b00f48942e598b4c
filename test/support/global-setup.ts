import { ensureRedis } from "./redis.js";

/**
 * Runs once before the suite: makes sure a real Redis answers, and publishes its URL to every
 * test file through TEST_REDIS_URL.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const redis = await ensureRedis();
  process.env.TEST_REDIS_URL = redis.url;
  return async () => {
    await redis.stop();
  };
}
