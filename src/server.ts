import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit } from "probot";
import { createArgoCdClient } from "./argocd/client.js";
import { createApp } from "./app.js";
import { systemClock, type Clock } from "./clock.js";
import { createLogger, type Logger } from "./log.js";
import { createDeliveryLedger } from "./queue/claim-delivery.js";
import { createQueue } from "./queue/create-queue.js";
import { laneOfJob, type Enqueue } from "./jobs/job-table.js";
import { createJobHandlers, type JobDeps } from "./jobs/create-job-handlers.js";
import { throttleAnswers, waitOutRateLimits } from "./github/wait-out-rate-limits.js";
import { deriveCheckpointKey } from "./records/promotion-checkpoint.js";
import { deriveMetadataKey } from "./records/promotion-metadata.js";
import { createSharedThrottle } from "./github/shared-throttle.js";
import { createKeyValueStateStore } from "./promotion/index.js";
import { createMemoryKeyValueStore, createRedisKeyValueStore, type KeyValueStore } from "./queue/key-value-store.js";
import type { JobQueue } from "./queue/types.js";
import { describeRedisUrl } from "./queue/redis-connection.js";
import { readSettings, type Settings } from "./settings.js";
import { markStateRebuilt, rebuildIfStateLost } from "./jobs/installation/rebuild-lost-state.js";
import { healthRoutes } from "./web/health.js";
import { createHttpServer } from "./web/http-server.js";
import { resolveIngressLimits, type IngressLimits } from "./web/ingress-limits.js";
import { createBodyBudget, type BodyBudget } from "./web/read-body.js";
import { createMetrics, type Metrics } from "./web/metrics.js";
import { createWebhookEndpoint } from "./web/webhook-endpoint.js";
import { createRegistryWebhookEndpoint, redactRegistryWebhookPath, REGISTRY_WEBHOOKS_PATH } from "./web/registry-webhooks.js";
import { artifactKey } from "./warehouse/subscription-index.js";
import { createWorkerConnection } from "./queue/redis-connection.js";
import { createDiscoveryServices } from "./warehouse/create-discovery-services.js";
import { createMemorySubscriptionIndex, createRedisSubscriptionIndex, type SubscriptionIndex } from "./warehouse/subscription-index.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RunningServer {
  url: string;
  port: number;
  queue: JobQueue;
  probot: Probot;
  metrics: Metrics;
  log: Logger;
  /** Request-body bytes held in memory now and at most (the in-flight budget of the HTTP endpoints). */
  bodies: BodyBudget;
  /** Stops accepting requests, lets running jobs finish, closes Redis. */
  close(): Promise<void>;
}

export interface StartOptions {
  settings: Settings;
  log?: Logger;
  clock?: Clock;
  /** Redis key prefix (tests isolate themselves with it). */
  queuePrefix?: string;
  /** Connection, timeout and body budgets of the HTTP server (defaults: DEFAULT_INGRESS_LIMITS). */
  ingress?: Partial<IngressLimits>;
  onInstallationSynced?(installationId: number, repositories: string[]): void;
  onConfigChecked?: JobDeps["onConfigChecked"];
  onPromotion?: JobDeps["onPromotion"];
  onDiscovered?: JobDeps["onDiscovered"];
  onUnsubscribed?: JobDeps["onUnsubscribed"];
  onApprovalEvaluated?: JobDeps["onApprovalEvaluated"];
  onVerified?: JobDeps["onVerified"];
  /**
   * Queue a sync of every installation at startup (default true), which rebuilds the subscription
   * index and polling schedules. Tests that count queued jobs turn it off.
   */
  syncInstallationsAtStartup?: boolean;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { settings } = options;
  const log = options.log ?? createLogger({ level: settings.logLevel });
  const ingress = resolveIngressLimits(options.ingress);
  const bodies = createBodyBudget(ingress.maxBodyBytesInFlight);
  const metrics = createMetrics({ bodyBytesInFlight: () => bodies.inFlight() });
  const queue = createQueue({ redisUrl: settings.redisUrl, log, prefix: options.queuePrefix, laneOf: laneOfJob });
  const keyPrefix = options.queuePrefix ?? "stagecoach";
  // With Redis, replicas share the write pacing through it, under the same key prefix as the queue.
  const throttle = settings.redisUrl && settings.throttleGitHubWrites !== false ? createSharedThrottle(settings.redisUrl, keyPrefix, log) : undefined;
  const throttleOptions = settings.throttleGitHubWrites === false ? { enabled: false } : { ...(throttle?.options ?? {}), ...throttleAnswers(log) };
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.githubApiUrl,
    log,
    // A function, not an object: Probot passes its own throttle options down, and they would replace ours.
    Octokit: ProbotOctokit.defaults((octokitOptions: { throttle?: object }) => ({ ...octokitOptions, throttle: { ...octokitOptions.throttle, ...throttleOptions } })),
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
  const metadataKey = deriveMetadataKey(settings.webhookSecret);
  // Every job is queued through this: its name and payload are checked against the job table when this compiles.
  const enqueue: Enqueue = (name, data, enqueueOptions) => queue.enqueue(name, data, enqueueOptions);
  await probot.load(createApp({ enqueue, metadataKey }));

  const indexConnection = settings.redisUrl ? createWorkerConnection(settings.redisUrl) : undefined;
  // Its connection errors need no log of their own: /readyz and the queue already report an unreachable Redis.
  indexConnection?.on("error", () => undefined);
  const subscriptions: SubscriptionIndex = indexConnection ? createRedisSubscriptionIndex(indexConnection, keyPrefix) : createMemorySubscriptionIndex();
  // Locks, promotion state and small indexes: shared by every replica on Redis, in this process otherwise.
  const store: KeyValueStore = indexConnection ? createRedisKeyValueStore(indexConnection, keyPrefix) : createMemoryKeyValueStore();
  const hosts = githubHosts(settings.githubApiUrl);
  const discovery = createDiscoveryServices({
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.discoveryNetwork ? { network: settings.discoveryNetwork } : {}),
    githubHosts: hosts,
  });

  const clock = options.clock ?? systemClock;
  queue.process(
    createJobHandlers({
      metrics,
      // Every call waits out what GitHub asks it to wait; longer waits go back to the job (RetryLaterError).
      octokitFor: async (installationId) => waitOutRateLimits(await probot.auth(installationId), { clock, log }),
      appSlug,
      listInstallations: async () => {
        const octokit = await probot.auth();
        const installations = await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 });
        return installations.filter((i) => !i.suspended_at).map((i) => i.id);
      },
      onSynced: options.onInstallationSynced,
      onConfigChecked: options.onConfigChecked,
      onPromotion: options.onPromotion,
      onDiscovered: options.onDiscovered,
      onUnsubscribed: options.onUnsubscribed,
      onApprovalEvaluated: options.onApprovalEvaluated,
      onVerified: options.onVerified,
      ...(settings.argocd ? { argocd: createArgoCdClient(settings.argocd) } : {}),
      promotions: (repo) => createKeyValueStateStore(store, `${repo.owner}/${repo.repo}`),
      store,
      appId: settings.appId,
      checkpointKey: deriveCheckpointKey(settings.webhookSecret),
      metadataKey,
      ...(settings.promotionNetwork ? { network: settings.promotionNetwork } : {}),
      ...(settings.pollMs ? { pollMs: settings.pollMs } : {}),
      githubHosts: hosts,
      clock,
      enqueue,
      subscriptions,
      schedules: queue,
      discoveryServices: (octokit) => discovery.forInstallation(octokit),
    }),
  );
  let shuttingDown = false;
  // Rebuild the subscription index and polling schedules from GitHub (nothing in Redis is trusted to be there).
  // In the background: an unreachable Redis must not stop the server from answering /readyz with 503.
  let stateWatch: NodeJS.Timeout | undefined;
  if (options.syncInstallationsAtStartup !== false) {
    // Queued before the server listens: every delivery this process takes comes after `requestedAt`.
    void queueStartupSync(queue, store, clock, log, () => shuttingDown, clock.now().getTime());
    // Redis may lose what it holds at any time (a flush, a failover): look often, rebuild once when it did.
    if (indexConnection) stateWatch = watchForLostState(queue, store, clock, log);
  }
  const server = createHttpServer(
    [
      {
        method: "POST",
        path: WEBHOOK_PATH,
        handler: createWebhookEndpoint({
          secret: settings.webhookSecret,
          maxBytes: settings.maxWebhookBytes,
          budget: bodies,
          limits: ingress,
          log,
          metrics,
          claim: createDeliveryLedger(store),
          receive: (delivery) => probot.receive(delivery as Parameters<Probot["receive"]>[0]),
        }),
      },
      {
        method: "POST",
        path: REGISTRY_WEBHOOKS_PATH,
        prefix: true,
        loggedPath: redactRegistryWebhookPath,
        handler: createRegistryWebhookEndpoint({
          secrets: settings.registryWebhookSecrets ?? {},
          budget: bodies,
          limits: ingress,
          log,
          onPushes: async (provider, pushes, deliveryId) => {
            const keys = [...new Set(pushes.map((push) => artifactKey.image(push.repository)))];
            await enqueue("refresh-subscribers", { keys, source: `registry:${provider}`, deliveryId }, { jobId: `refresh:${deliveryId}` });
          },
        }),
      },
      ...healthRoutes(queue, metrics, () => shuttingDown),
    ],
    log,
    ingress,
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
    bodies,
    close: async () => {
      shuttingDown = true;
      if (stateWatch) clearInterval(stateWatch);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await queue.close();
      await discovery.close();
      await throttle?.close();
      indexConnection?.disconnect();
      await closed;
    },
  };
}

const STARTUP_SYNC_RETRY_MS = 5_000;

/** Queues "sync-all-installations", retrying every few seconds while the queue cannot take it. */
async function queueStartupSync(queue: RunningServer["queue"], store: KeyValueStore, clock: Clock, log: RunningServer["log"], stopping: () => boolean, requestedAt: number): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      await queue.enqueue("sync-all-installations", { reason: "startup", requestedAt });
      // The startup sync rebuilds everything; the watch for lost state has nothing to add until Redis loses it again.
      await markStateRebuilt(store, clock);
      return;
    } catch (error) {
      if (attempt === 1) log.warn({ err: error }, `could not queue the startup sync of installations; retrying every ${STARTUP_SYNC_RETRY_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, STARTUP_SYNC_RETRY_MS).unref());
    }
  }
}

/** How often the App looks whether Redis still holds what it rebuilt (one GET). */
const STATE_WATCH_MS = 3_000;

function watchForLostState(queue: JobQueue, store: KeyValueStore, clock: Clock, log: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    rebuildIfStateLost(store, (name, data, options) => queue.enqueue(name, data, options), clock).then(
      (lost) => lost && log.warn("Redis no longer holds the App's state (flushed or failed over); rebuilding it from GitHub"),
      () => undefined,
    );
  }, STATE_WATCH_MS);
  timer.unref();
  return timer;
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
