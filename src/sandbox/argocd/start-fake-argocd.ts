import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Application } from "../../argocd/types.js";
import { systemClock, type Clock } from "../../clock.js";
import { BodyTooLargeError, readBody } from "../../web/read-body.js";
import { CONTROL_ROUTES } from "./fake-argocd-control.js";
import { API_ROUTES, grpcError, type ApiRoute, type RouteAnswer } from "./fake-argocd-routes.js";
import { FakeArgoCdStore, type SyncDelay } from "./fake-argocd-store.js";
import { handleGitWebhook } from "./fake-argocd-webhook.js";
import type { SyncOutcome } from "./sync-transitions.js";

export type { SyncOutcome } from "./sync-transitions.js";

export interface FakeArgoCdOptions {
  /** The bearer token clients must send; a random one by default. */
  token?: string;
  host?: string;
  port?: number;
  /** Argo CD's control-plane namespace, used when a request names no appNamespace. */
  namespace?: string;
  /** How long a sync runs before it finishes; "manual" waits for completeSync(). Default 1000 ms. */
  syncDelayMs?: SyncDelay;
  clock?: Clock;
  /** Serve HTTPS with this certificate (to exercise insecureSkipTLSVerify). */
  tls?: { key: string; cert: string };
  /** Check X-Hub-Signature-256 on /api/webhook, like Argo CD's `webhook.github.secret`. */
  webhookSecret?: string;
  /** The account name Argo CD would see in the token; shown in operations and 403 messages. */
  username?: string;
}

/** One request the fake answered: what came in and what went out (never the token). */
export interface RecordedExchange {
  method: string;
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  authenticated: boolean;
  status: number;
  response: unknown;
}

export interface FakeArgoCd {
  url: string;
  token: string;
  addApplication(app: Application, outcome?: SyncOutcome): Application;
  getApplication(name: string, namespace?: string): Application | undefined;
  setHealth(name: string, status: SyncOutcome["health"], message?: string, namespace?: string): Application;
  /** What the next sync of this app ends in (default: Succeeded and Healthy). */
  scriptSync(name: string, outcome: SyncOutcome, namespace?: string): void;
  /** Finishes the running sync now (the way to go with syncDelayMs: "manual"). */
  completeSync(name: string, namespace?: string): Application;
  /** Takes an RBAC permission away from the token's account, e.g. deny("sync", "guestbook"). */
  deny(action: "get" | "update" | "sync", appName: string): void;
  requests(): RecordedExchange[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** A fake Argo CD API server on loopback, for the demo and for tests of everything that talks to Argo CD. */
export async function startFakeArgoCd(options: FakeArgoCdOptions = {}): Promise<FakeArgoCd> {
  const token = options.token ?? randomBytes(24).toString("hex");
  const username = options.username ?? "stagecoach";
  const store = new FakeArgoCdStore(options.namespace ?? "argocd", options.clock ?? systemClock, options.syncDelayMs ?? 1000);
  const denied = new Set<string>();
  const exchanges: RecordedExchange[] = [];

  async function answer(request: IncomingMessage, url: URL, raw: Buffer, authenticated: boolean): Promise<RouteAnswer> {
    if (url.pathname === "/api/webhook" && request.method === "POST") return handleGitWebhook(store, options.webhookSecret, request.headers, raw);
    const routes: ApiRoute[] = url.pathname.startsWith("/_sandbox/") ? CONTROL_ROUTES : API_ROUTES;
    if (!authenticated) return grpcError(401, "invalid session: token signature is invalid");
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match || route.method !== request.method) continue;
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          return grpcError(400, `the request body of ${request.method} ${url.pathname} is not JSON`);
        }
      }
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      return route.handle({ params, query: url.searchParams, body, store, denied, username });
    }
    return { status: 404, body: "404 page not found" };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake-argocd");
    const authenticated = bearer(request) === token;
    let raw: Buffer = Buffer.alloc(0);
    let result: RouteAnswer;
    try {
      raw = await readBody(request, MAX_BODY_BYTES);
      result = await answer(request, url, raw, authenticated);
    } catch (error) {
      result = error instanceof BodyTooLargeError ? grpcError(400, error.message) : grpcError(500, (error as Error).message);
    }
    exchanges.push({
      method: request.method ?? "",
      path: url.pathname,
      query: groupQuery(url.searchParams),
      body: raw.length > 0 ? parseOrText(raw) : undefined,
      authenticated,
      status: result.status,
      response: result.body,
    });
    const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
    response.writeHead(result.status, { "content-type": typeof result.body === "string" ? "text/plain" : "application/json" }).end(text);
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => void handle(request, response);
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? "https" : "http"}://${host}:${port}`,
    token,
    addApplication: (app, outcome) => store.add(app, outcome),
    getApplication: (name, namespace) => store.get(name, namespace),
    setHealth: (name, status, message, namespace) => store.setHealth(name, status, message, namespace),
    scriptSync: (name, outcome, namespace) => store.scriptSync(name, outcome, namespace),
    completeSync: (name, namespace) => store.completeSync(name, namespace),
    deny: (action, appName) => void denied.add(`${action}:${appName}`),
    requests: () => structuredClone(exchanges),
    async close() {
      await store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice("Bearer ".length);
  return /(?:^|;\s*)argocd\.token=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
}

function groupQuery(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of params) (out[key] ??= []).push(value);
  return out;
}

function parseOrText(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return raw.toString("utf8");
  }
}
