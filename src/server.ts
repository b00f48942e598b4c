import type { AddressInfo } from "node:net";
import { Probot } from "probot";
import { createApp } from "./app.js";
import { systemClock, type Clock } from "./clock.js";
import { createLogger, type Logger } from "./log.js";
import { createQueue } from "./queue/create-queue.js";
import { createJobHandlers, type JobDeps } from "./queue/jobs/index.js";
import { createMemoryStateStore } from "./promotion/index.js";
import type { JobQueue } from "./queue/types.js";
import { describeRedisUrl } from "./queue/redis-connection.js";
import { readSettings, type Settings } from "./settings.js";
import { healthRoutes } from "./web/health.js";
import { createHttpServer } from "./web/http-server.js";
import { createMetrics, type Metrics } from "./web/metrics.js";
import { createWebhookEndpoint } from "./web/webhook-endpoint.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RunningServer {
  url: string;
  port: number;
  queue: JobQueue;
  probot: Probot;
  metrics: Metrics;
  log: Logger;
  /** Stops accepting requests, lets running jobs finish, closes Redis. */
  close(): Promise<void>;
}

export interface StartOptions {
  settings: Settings;
  log?: Logger;
  clock?: Clock;
  /** Redis key prefix (tests isolate themselves with it). */
  queuePrefix?: string;
  onInstallationSynced?(installationId: number, repositories: string[]): void;
  onConfigChecked?: JobDeps["onConfigChecked"];
  onPromotion?: JobDeps["onPromotion"];
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { settings } = options;
  const log = options.log ?? createLogger({ level: settings.logLevel });
  const metrics = createMetrics();
  const queue = createQueue({ redisUrl: settings.redisUrl, log, prefix: options.queuePrefix });
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.githubApiUrl,
    log,
    // Probot shares its rate-limit throttling between replicas through Redis when one is configured.
    redisConfig: settings.redisUrl,
  });
  let slug: Promise<string> | undefined;
  const appSlug = () =>
    (slug ??= probot
      .auth()
      .then(async (octokit) => (await octokit.rest.apps.getAuthenticated()).data?.slug ?? "stagecoach")
      .catch((error: unknown) => {
        slug = undefined;
        throw error;
      }));
  await probot.load(createApp({ queue, appSlug }));

  queue.process(
    createJobHandlers({
      metrics,
      octokitFor: (installationId) => probot.auth(installationId),
      onSynced: options.onInstallationSynced,
      onConfigChecked: options.onConfigChecked,
      onPromotion: options.onPromotion,
      promotions: createMemoryStateStore(),
      requests: new Map(),
      githubHosts: githubHosts(settings.githubApiUrl),
      clock: options.clock ?? systemClock,
      enqueue: (name, data) => queue.enqueue(name, data),
    }),
  );

  let shuttingDown = false;
  const server = createHttpServer(
    [
      {
        method: "POST",
        path: WEBHOOK_PATH,
        handler: createWebhookEndpoint({
          secret: settings.webhookSecret,
          maxBytes: settings.maxWebhookBytes,
          log,
          metrics,
          receive: (delivery) => probot.receive(delivery as Parameters<Probot["receive"]>[0]),
        }),
      },
      ...healthRoutes(queue, metrics, () => shuttingDown),
    ],
    log,
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host === "0.0.0.0" || settings.host === "::" ? "127.0.0.1" : settings.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info(
    { port, queue: queue.driver, redis: settings.redisUrl ? describeRedisUrl(settings.redisUrl) : undefined },
    `Stagecoach listening on ${url} (webhooks at ${WEBHOOK_PATH})`,
  );

  return {
    url,
    port,
    queue,
    probot,
    metrics,
    log,
    close: async () => {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await queue.close();
      await closed;
    },
  };
}

/**
 * Hosts whose repoURLs name repositories on the GitHub the App talks to. Configs say
 * https://github.com/owner/repo; on GitHub Enterprise Server (or the sandbox) its own host counts too.
 */
function githubHosts(apiUrl: string | undefined): string[] {
  const hosts = ["github.com"];
  if (apiUrl) hosts.push(new URL(apiUrl).host);
  return hosts;
}

/** `npm start`: settings from the environment, shutdown on SIGTERM/SIGINT. */
export async function startFromEnvironment(env: Record<string, string | undefined>, clock: Clock = systemClock): Promise<RunningServer> {
  const settings = readSettings(env);
  const running = await startServer({ settings, clock });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.log.info(`${signal} received: finishing running jobs, then exiting`);
    const force = setTimeout(() => {
      running.log.error("shutdown took over 30 s; exiting with jobs still running (they will be retried)");
      process.exit(1);
    }, 30_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.log.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  return running;
}

const isEntryPoint = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint) {
  startFromEnvironment(process.env).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
