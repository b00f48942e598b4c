import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics, one registry per server so tests and several servers in a process don't mix. */
export interface Metrics {
  registry: Registry;
  webhookDeliveries: Counter<"event" | "outcome">;
  webhookAckSeconds: Histogram<"event">;
  jobsProcessed: Counter<"job" | "outcome">;
}

export interface MetricSources {
  /** Request-body bytes the HTTP endpoints hold now (their in-flight budget). */
  bodyBytesInFlight?(): number;
}

export function createMetrics(sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "stagecoach_" });
  const { bodyBytesInFlight } = sources;
  if (bodyBytesInFlight) {
    new Gauge({
      name: "stagecoach_http_body_bytes_in_flight",
      help: "Request-body bytes held in memory by the webhook and registry endpoints; at the budget, new bodies get 503.",
      registers: [registry],
      collect() {
        this.set(bodyBytesInFlight());
      },
    });
  }
  return {
    registry,
    webhookDeliveries: new Counter({
      name: "stagecoach_webhook_deliveries_total",
      help: "Webhook deliveries received, by event and outcome (accepted, duplicate, bad_signature, malformed, too_large, busy, too_slow, aborted, error).",
      labelNames: ["event", "outcome"],
      registers: [registry],
    }),
    webhookAckSeconds: new Histogram({
      name: "stagecoach_webhook_ack_seconds",
      help: "Time from receiving a delivery to answering it.",
      labelNames: ["event"],
      buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    jobsProcessed: new Counter({
      name: "stagecoach_jobs_processed_total",
      help: "Background jobs run, by job name and outcome (ok, error, bad_payload: queued with a payload its job does not take).",
      labelNames: ["job", "outcome"],
      registers: [registry],
    }),
  };
}
