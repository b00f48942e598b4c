import { z } from "zod";
import type { AnalysisRun } from "./types.js";

/**
 * The most a serialized run may take. It rides in a check run (whose text fields hold 65,535
 * characters each) next to its rendering, so it is kept well inside one field.
 */
export const MAX_RECORD_CHARS = 48_000;

const phase = z.enum(["Pending", "Running", "Successful", "Failed", "Error", "Inconclusive"]);
const count = z.number().int().min(0);
const intOrString = z.union([z.number().int(), z.string()]);
const header = z.strictObject({ key: z.string(), value: z.string() });

const MetricSpecSchema = z.strictObject({
  name: z.string(),
  interval: z.string().optional(),
  initialDelay: z.string().optional(),
  count: intOrString.optional(),
  failureLimit: intOrString.optional(),
  inconclusiveLimit: intOrString.optional(),
  consecutiveErrorLimit: intOrString.optional(),
  consecutiveSuccessLimit: intOrString.optional(),
  successCondition: z.string().optional(),
  failureCondition: z.string().optional(),
  provider: z.strictObject({
    prometheus: z
      .strictObject({
        address: z.string().optional(),
        query: z.string(),
        timeout: z.number().optional(),
        insecure: z.boolean().optional(),
        headers: z.array(header).optional(),
        authentication: z.strictObject({ basicAuth: z.strictObject({ username: z.string(), password: z.string() }).optional() }).optional(),
        rangeQuery: z.strictObject({ start: z.string(), end: z.string(), step: z.string() }).optional(),
      })
      .optional(),
    web: z
      .strictObject({
        url: z.string(),
        method: z.enum(["GET", "POST", "PUT"]).optional(),
        headers: z.array(header).optional(),
        body: z.string().optional(),
        jsonBody: z.json().optional(),
        timeoutSeconds: z.number().optional(),
        jsonPath: z.string().optional(),
        insecure: z.boolean().optional(),
      })
      .optional(),
  }),
});

const MeasurementSchema = z.strictObject({
  phase,
  value: z.string().optional(),
  message: z.string().optional(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

/** The record's shape, checked on the way back in: a check run's text can be edited by anyone who can write checks. */
export const AnalysisRunRecordSchema = z.strictObject({
  kind: z.literal("AnalysisRun"),
  version: z.literal(1),
  templates: z.array(z.strictObject({ kind: z.enum(["AnalysisTemplate", "ClusterAnalysisTemplate"]), name: z.string() })),
  args: z.array(z.union([z.strictObject({ name: z.string(), value: z.string() }), z.strictObject({ name: z.string(), secretKeyRef: z.strictObject({ name: z.string(), key: z.string() }) })])),
  metrics: z.array(
    z.strictObject({
      name: z.string(),
      schedule: z.strictObject({
        intervalMs: z.number().min(0).optional(),
        initialDelayMs: z.number().min(0).optional(),
        count: count.optional(),
        failureLimit: z.number().int().min(-1),
        inconclusiveLimit: count,
        consecutiveErrorLimit: count,
        consecutiveSuccessLimit: count,
      }),
      dryRun: z.boolean(),
      retention: z.number().int().min(1),
      spec: MetricSpecSchema,
    }),
  ),
  terminate: z.boolean(),
  phase,
  message: z.string().optional(),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
  metricResults: z.array(
    z.strictObject({
      name: z.string(),
      phase,
      message: z.string().optional(),
      count,
      successful: count,
      failed: count,
      inconclusive: count,
      error: count,
      consecutiveError: count,
      consecutiveSuccess: count,
      dryRun: z.boolean(),
      measurements: z.array(MeasurementSchema),
      dropped: count,
    }),
  ),
});

/**
 * The run as JSON, within MAX_RECORD_CHARS: when it would be larger, the oldest measurements are
 * dropped (from the metric that has the most) and counted in `dropped`; the counters, which decide
 * the outcome, are always kept whole. Throws when even the run without measurements is too large.
 */
export function serializeAnalysisRun(run: AnalysisRun): string {
  let text = JSON.stringify(run);
  if (text.length <= MAX_RECORD_CHARS) return text;
  const trimmed: AnalysisRun = { ...run, metricResults: run.metricResults.map((r) => ({ ...r, measurements: [...r.measurements] })) };
  while (text.length > MAX_RECORD_CHARS) {
    const fullest = trimmed.metricResults.reduce<(typeof trimmed.metricResults)[number] | undefined>((best, r) => (r.measurements.length > (best?.measurements.length ?? 0) ? r : best), undefined);
    if (!fullest) throw new Error(`the analysis run takes ${text.length} characters without any measurement, more than the ${MAX_RECORD_CHARS} a record may; use fewer or shorter metrics`);
    // Drop a tenth at a time: a run of thousands of measurements is trimmed in a few rounds.
    const drop = Math.max(1, Math.floor(fullest.measurements.length / 10));
    fullest.measurements.splice(0, drop);
    fullest.dropped += drop;
    text = JSON.stringify(trimmed);
  }
  return text;
}

/** Reads a record back; an edited or damaged one is refused with the field that is wrong. */
export function parseAnalysisRun(text: string): AnalysisRun {
  if (text.length > MAX_RECORD_CHARS * 2) throw new Error(`the analysis run record is ${text.length} characters, more than a record ever is`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the analysis run record is not JSON: ${(error as Error).message}`);
  }
  const parsed = AnalysisRunRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the analysis run record is damaged at ${issue?.path.map(String).join(".") || "(top)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data as AnalysisRun;
}
