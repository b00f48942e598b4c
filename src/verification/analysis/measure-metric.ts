import { measurePrometheus } from "./measure-prometheus.js";
import { measureWeb } from "./measure-web.js";
import type { ProviderContext } from "./provider-context.js";
import type { Measurement, MetricSpec, ProviderKind } from "./types.js";

/** Takes one measurement of a resolved metric. Never throws: a failure is an Error measurement. */
export type MeasureMetric = (metric: MetricSpec) => Promise<Measurement>;

/** One row per provider Stagecoach runs; the template schema refuses every other one. */
const PROVIDERS: Record<ProviderKind, (metric: MetricSpec, context: ProviderContext) => Promise<Measurement>> = {
  prometheus: measurePrometheus,
  web: measureWeb,
};

/** The measure function for real providers, reached through the App's address guard. */
export function createMeasureMetric(context: ProviderContext): MeasureMetric {
  return async (metric) => {
    const kind = (Object.keys(metric.provider) as ProviderKind[]).find((k) => metric.provider[k] !== undefined);
    if (!kind) return { phase: "Error", message: "the metric names no provider", startedAt: context.clock.now().toISOString(), finishedAt: context.clock.now().toISOString() };
    return PROVIDERS[kind](metric, context);
  };
}
