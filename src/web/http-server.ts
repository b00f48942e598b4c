import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import { DEFAULT_INGRESS_LIMITS, type IngressLimits } from "./ingress-limits.js";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Also serve every path below this one (`/api/registry-webhooks/<provider>/…`). */
  prefix?: boolean;
  /**
   * The path as logs may show it. Paths below a prefix route may carry a secret (a registry's URL
   * token), so without this they are logged as the route's own path followed by `/…`.
   */
  loggedPath?(path: string): string;
  handler: RouteHandler;
}

/**
 * A plain node:http server over a route table; unknown paths get 404, wrong methods 405. The
 * connection cap and the header and request timeouts are node's own; the body budgets are the
 * endpoints' (read-body.ts).
 */
export function createHttpServer(routes: Route[], log: Logger, limits: IngressLimits = DEFAULT_INGRESS_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    },
    (request, response) => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const matching = routes.filter((route) => route.path === path || (route.prefix === true && path.startsWith(`${route.path}/`)));
      if (matching.length === 0) {
        response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: `no route for ${path}` }));
        return;
      }
      const route = matching.find((r) => r.method === request.method);
      if (!route) {
        response.writeHead(405, { allow: matching.map((r) => r.method).join(", ") }).end();
        return;
      }
      Promise.resolve(route.handler(request, response)).catch((error: unknown) => {
        log.error({ err: error, path: loggedPath(route, path) }, "request failed");
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: "internal error" }));
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

function loggedPath(route: Route, path: string): string {
  if (route.loggedPath) return route.loggedPath(path);
  return path === route.path ? path : `${route.path}/…`;
}
