import type { ServerResponse } from "node:http";
import type { Route } from "./http-server.js";
import type { JobQueue } from "../queue/types.js";
import type { Metrics } from "./metrics.js";

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Liveness (the process answers), readiness (its queue backend answers) and Prometheus metrics. */
export function healthRoutes(queue: JobQueue, metrics: Metrics, isShuttingDown: () => boolean): Route[] {
  return [
    { method: "GET", path: "/healthz", handler: (_req, res) => json(res, 200, { status: "ok" }) },
    {
      method: "GET",
      path: "/readyz",
      handler: async (_req, res) => {
        if (isShuttingDown()) return json(res, 503, { status: "shutting down" });
        const queueReady = await queue.ping();
        json(res, queueReady ? 200 : 503, {
          status: queueReady ? "ready" : "not ready",
          queue: { driver: queue.driver, reachable: queueReady },
        });
      },
    },
    {
      method: "GET",
      path: "/metrics",
      handler: async (_req, res) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType }).end(await metrics.registry.metrics());
      },
    },
  ];
}
