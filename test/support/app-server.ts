import { randomUUID } from "node:crypto";
import { startServer, WEBHOOK_PATH, type RunningServer, type StartOptions } from "../../src/server.js";
import { MAX_WEBHOOK_BYTES, type Settings } from "../../src/settings.js";
import type { Logger } from "../../src/log.js";
import { captureLog } from "./capture-log.js";
import { testRedisUrl } from "./redis.js";
import type { TestSandbox } from "./sandbox.js";

/**
 * The App as production runs it (Probot, webhook endpoint, BullMQ on the real test Redis under its
 * own key prefix, random unless the test names one), pointed at a test sandbox whose App webhook is
 * then aimed at it. Probot's write spacing is off unless the test turns it on.
 */
export async function startAppOnSandbox(
  t: TestSandbox,
  options: { log?: Logger; settings?: Partial<Settings> } & Omit<StartOptions, "settings" | "log"> = {},
): Promise<RunningServer> {
  const { log, settings, ...hooks } = options;
  const server = await startServer({
    settings: {
      appId: t.app.id,
      privateKey: t.app.privateKey,
      webhookSecret: t.app.webhookSecret,
      githubApiUrl: t.sandbox.url,
      redisUrl: testRedisUrl(),
      port: 0,
      host: "127.0.0.1",
      logLevel: "info",
      maxWebhookBytes: MAX_WEBHOOK_BYTES,
      // Probot spaces writes 1 s apart for real GitHub; the sandbox has no such limit, and its scripted
      // 429s and secondary limits test the App's answer to them. A test that wants the spacing sets it.
      throttleGitHubWrites: false,
      ...settings,
    },
    log: log ?? captureLog().log,
    queuePrefix: `e2e-${randomUUID()}`,
    ...hooks,
  });
  t.sandbox.setWebhookUrl(t.app.id, `${server.url}${WEBHOOK_PATH}`);
  return server;
}
