import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log.js";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Also serve every path below this one (`/api/registry-webhooks/<provider>/…`). */
  prefix?: boolean;
  handler: RouteHandler;
}

/** A plain node:http server over a route table; unknown paths get 404, wrong methods 405. */
export function createHttpServer(routes: Route[], log: Logger): Server {
  return createServer((request, response) => {
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
      log.error({ err: error, path }, "request failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "internal error" }));
    });
  });
}
