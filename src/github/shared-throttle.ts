import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import type { Logger } from "../log.js";

/**
 * The limiters @octokit/plugin-throttling creates for itself (same names and pacing), made here so
 * that they are this App's: the plugin keeps its own in one module-wide set under fixed Redis keys
 * (`b_octokit-write-no-id_settings`, …), which every app and test on that Redis would share and
 * clobber. Ours live under `<prefix>:throttle:` and publish on channels named after the prefix.
 */
const GROUPS = {
  global: { maxConcurrent: 10 },
  auth: { maxConcurrent: 1 },
  search: { maxConcurrent: 1, minTime: 2_000 },
  write: { maxConcurrent: 1, minTime: 1_000 },
  notifications: { maxConcurrent: 1, minTime: 3_000 },
} as const;

/** How long an idle limiter's state stays in Redis (the plugin's own default). */
const LIMITER_TIMEOUT_MS = 2 * 60 * 1000;

type ScriptCallback = (error: Error | null, replies: unknown) => void;
interface ScriptArgs {
  __scriptArgs__(name: string, id: string, args: unknown[], callback: ScriptCallback): unknown[];
}

/**
 * Bottleneck recreates a limiter's settings when its Lua scripts answer `SETTINGS_KEY_NOT_FOUND`
 * (the key expired while the limiter sat idle, or was deleted), but it compares the message
 * exactly, and Redis 7 sends script errors as `ERR SETTINGS_KEY_NOT_FOUND`: the request then fails
 * instead. Bottleneck 2.19 is the last release, so its answer is read with the prefix taken off.
 */
function recoverMissingSettings(connection: Bottleneck.IORedisConnection): void {
  const internals = connection as unknown as ScriptArgs;
  const scriptArgs = internals.__scriptArgs__.bind(connection);
  internals.__scriptArgs__ = (name, id, args, callback) =>
    scriptArgs(name, id, args, (error, replies) => {
      if (error && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(error.message)) error.message = error.message.slice("ERR ".length);
      callback(error, replies);
    });
}

export interface SharedThrottle {
  /** Throttle options for Probot's Octokit: the plugin uses these limiters instead of its own. */
  options: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Probot's write pacing shared by every replica of this App through Redis, and by nothing else:
 * its keys carry the App's key prefix (the one the queue uses).
 */
export function createSharedThrottle(redisUrl: string, prefix: string, log: Logger): SharedThrottle {
  const client = new Redis(redisUrl, { keyPrefix: `${prefix}:throttle:` });
  const connection = new Bottleneck.IORedisConnection({ client });
  connection.on("error", (error: Error) => log.warn({ err: error.message }, "redis (GitHub write pacing) error"));
  recoverMissingSettings(connection);
  const groups = Object.fromEntries(
    Object.entries(GROUPS).map(([name, pacing]) => [name, new Bottleneck.Group({ id: `${prefix}:octokit-${name}`, ...pacing, timeout: LIMITER_TIMEOUT_MS, connection })]),
  );
  return {
    options: { Bottleneck, connection, ...groups },
    close: async () => {
      await connection.disconnect(false);
    },
  };
}
