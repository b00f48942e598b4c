import { z } from "zod";
import { parseDuration } from "../../promotion/expressions/expr-lang/go-duration.js";
import { REFUSED_PROVIDERS, SUPPORTED_PROVIDERS } from "./refused-providers.js";
import { parseJsonPath } from "./select-json-path.js";

/** Budgets on what a repository's template may hold; each refusal names its limit. */
export const TEMPLATE_LIMITS = {
  metrics: 50,
  args: 100,
  textLength: 20_000,
  urlLength: 8_192,
  headers: 50,
  bodyLength: 65_536,
  /** Longest a single request may be given (seconds): a template cannot hold a worker for long. */
  timeoutSeconds: 300,
  name: 253,
} as const;

const PLACEHOLDER = /\{\{/;

/** An int, or text that is one (Rollouts' IntOrString), or text holding `{{args.x}}` read when the run is created. */
const intOrString = z.union([
  z.number().int(),
  z
    .string()
    .max(200)
    .refine((s) => PLACEHOLDER.test(s) || /^\s*-?\d+\s*$/.test(s), { message: 'use a whole number, or "{{args.name}}"' }),
]);

const duration = z
  .string()
  .max(200)
  .superRefine((text, ctx) => {
    if (PLACEHOLDER.test(text)) return;
    try {
      if (parseDuration(text).ns < 0) ctx.addIssue({ code: "custom", message: "use a positive duration such as 30s or 5m" });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

const text = (limit: number = TEMPLATE_LIMITS.textLength) => z.string().max(limit, `longer than ${limit} characters`);

const HeaderSchema = z.strictObject({ key: z.string().min(1).max(256), value: text(8_192) });
const headers = z.array(HeaderSchema).max(TEMPLATE_LIMITS.headers, `more than ${TEMPLATE_LIMITS.headers} headers`);

const timeoutSeconds = z.number().int().min(0).max(TEMPLATE_LIMITS.timeoutSeconds, `at most ${TEMPLATE_LIMITS.timeoutSeconds} seconds`);

const oauth2Refusal = "OAuth2 client credentials are not fetched by Stagecoach; let the App's operator supply a token for this address (analysis settings: credentials[].bearerToken), or pass one as a header from an arg with valueFrom.secretKeyRef";

const PrometheusSchema = z.strictObject({
  address: text(TEMPLATE_LIMITS.urlLength).optional(),
  query: text().min(1, "say what to ask Prometheus"),
  timeout: timeoutSeconds.optional(),
  insecure: z.boolean().optional(),
  headers: headers.optional(),
  authentication: z
    .strictObject({
      basicAuth: z.strictObject({ username: text(1_000), password: text(1_000) }).optional(),
      oauth2: z.unknown().optional(),
      sigv4: z.unknown().optional(),
    })
    .superRefine((auth, ctx) => {
      if (auth.oauth2 !== undefined) ctx.addIssue({ code: "custom", path: ["oauth2"], message: oauth2Refusal });
      if (auth.sigv4 !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["sigv4"],
          message: "SigV4 signing needs the AWS credentials of a Rollouts controller's pod; put a signing proxy (aws-sigv4-proxy) in front of Amazon Managed Prometheus and point address at it",
        });
      }
    })
    .optional(),
  rangeQuery: z.strictObject({ start: text(1_000).min(1), end: text(1_000).min(1), step: duration }).optional(),
});

const WebSchema = z
  .strictObject({
    url: text(TEMPLATE_LIMITS.urlLength).min(1, "say which URL to ask"),
    method: z.enum(["GET", "POST", "PUT"]).optional(),
    headers: headers.optional(),
    body: text(TEMPLATE_LIMITS.bodyLength).optional(),
    jsonBody: z.json().optional(),
    timeoutSeconds: z.number().int().max(TEMPLATE_LIMITS.timeoutSeconds, `at most ${TEMPLATE_LIMITS.timeoutSeconds} seconds`).optional(),
    jsonPath: text(1_000).optional(),
    insecure: z.boolean().optional(),
    authentication: z.strictObject({ oauth2: z.unknown().optional() }).optional(),
  })
  .superRefine((web, ctx) => {
    if (web.authentication?.oauth2 !== undefined) ctx.addIssue({ code: "custom", path: ["authentication", "oauth2"], message: oauth2Refusal });
    if (web.body !== undefined && web.jsonBody !== undefined) ctx.addIssue({ code: "custom", path: ["jsonBody"], message: "use either body or jsonBody, not both" });
    if (web.jsonPath !== undefined && !PLACEHOLDER.test(web.jsonPath)) {
      try {
        parseJsonPath(web.jsonPath);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["jsonPath"], message: (error as Error).message });
      }
    }
    if ((web.body !== undefined || web.jsonBody !== undefined) && (web.method ?? "GET") === "GET") {
      ctx.addIssue({ code: "custom", path: ["method"], message: "a body is sent only with method POST or PUT; set method" });
    }
  });

/** Exactly one provider, and one that Stagecoach runs: the others are refused with the reason and the fix. */
const ProviderSchema = z
  .record(z.string(), z.unknown())
  .superRefine((provider, ctx) => {
    const keys = Object.keys(provider);
    for (const key of keys) {
      const refusal = REFUSED_PROVIDERS[key];
      if (refusal) ctx.addIssue({ code: "custom", path: [key], message: `provider.${key} is not supported: it ${refusal}` });
      else if (!(SUPPORTED_PROVIDERS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `provider.${key} is not a metric provider; use prometheus or web` });
      }
    }
    if (keys.length === 0) ctx.addIssue({ code: "custom", message: "name a provider: prometheus or web" });
    if (keys.length > 1) ctx.addIssue({ code: "custom", message: `one provider per metric, found ${keys.join(", ")}; split them into separate metrics` });
  })
  .pipe(z.strictObject({ prometheus: PrometheusSchema.optional(), web: WebSchema.optional() }));

const MetricSchema = z.strictObject({
  name: z.string().min(1).max(TEMPLATE_LIMITS.name),
  interval: duration.optional(),
  initialDelay: duration.optional(),
  count: intOrString.optional(),
  failureLimit: intOrString.optional(),
  inconclusiveLimit: intOrString.optional(),
  consecutiveErrorLimit: intOrString.optional(),
  consecutiveSuccessLimit: intOrString.optional(),
  successCondition: text(10_000).optional(),
  failureCondition: text(10_000).optional(),
  provider: ProviderSchema,
});

const ArgSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '-', '_' and '.' in an arg name").max(TEMPLATE_LIMITS.name),
    value: text(TEMPLATE_LIMITS.textLength).optional(),
    valueFrom: z
      .strictObject({
        secretKeyRef: z.strictObject({ name: z.string().min(1).max(TEMPLATE_LIMITS.name), key: z.string().min(1).max(TEMPLATE_LIMITS.name) }).optional(),
        fieldRef: z.unknown().optional(),
        podTemplateHashValue: z.unknown().optional(),
      })
      .superRefine((from, ctx) => {
        for (const field of ["fieldRef", "podTemplateHashValue"] as const) {
          if (from[field] !== undefined) {
            ctx.addIssue({
              code: "custom",
              path: [field],
              message: `valueFrom.${field} reads a Rollout object in the cluster, which Stagecoach has not; give the value in the stage's verification.args (expressions such as \${{ ctx.targetFreight.name }} work there)`,
            });
          }
        }
        if (from.secretKeyRef === undefined && from.fieldRef === undefined && from.podTemplateHashValue === undefined) {
          ctx.addIssue({ code: "custom", message: "say where the value comes from: secretKeyRef: { name, key }" });
        }
      })
      .optional(),
  })
  .refine((arg) => !(arg.value !== undefined && arg.valueFrom !== undefined), { message: "give value or valueFrom, not both" });

const nameList = (what: string) =>
  z
    .array(z.strictObject({ metricName: z.string().min(1).max(1_000) }))
    .max(TEMPLATE_LIMITS.metrics, `more than ${TEMPLATE_LIMITS.metrics} ${what} rules`);

/**
 * Argo Rollouts' AnalysisTemplate and ClusterAnalysisTemplate (`argoproj.io/v1alpha1`), as the
 * config loader hands them over from `.github/stagecoach/`. A ClusterAnalysisTemplate is the same
 * thing here: there is no cluster, so both are read from the repository.
 */
export const AnalysisTemplateSchema = z.strictObject({
  apiVersion: z.literal("argoproj.io/v1alpha1", { error: 'use apiVersion: argoproj.io/v1alpha1 (Argo Rollouts\' API)' }),
  kind: z.enum(["AnalysisTemplate", "ClusterAnalysisTemplate"]),
  metadata: z.looseObject({ name: z.string().min(1).max(TEMPLATE_LIMITS.name) }),
  spec: z.strictObject({
    args: z.array(ArgSchema).max(TEMPLATE_LIMITS.args, `more than ${TEMPLATE_LIMITS.args} args`).optional(),
    metrics: z.array(MetricSchema).min(1, "a template needs at least one metric").max(TEMPLATE_LIMITS.metrics, `more than ${TEMPLATE_LIMITS.metrics} metrics`),
    dryRun: nameList("dryRun").optional(),
    measurementRetention: z
      .array(z.strictObject({ metricName: z.string().min(1).max(1_000), limit: z.number().int().min(0).max(100, "keep at most 100 measurements per metric") }))
      .max(TEMPLATE_LIMITS.metrics)
      .optional(),
    templates: z.unknown().optional(),
  }).superRefine((spec, ctx) => {
    if (spec.templates !== undefined) {
      ctx.addIssue({ code: "custom", path: ["templates"], message: "templates that include other templates are not supported; list each template in the stage's verification.analysisTemplates instead" });
    }
    const seen = new Set<string>();
    spec.metrics.forEach((metric, index) => {
      if (seen.has(metric.name)) ctx.addIssue({ code: "custom", path: ["metrics", index, "name"], message: `two metrics are named "${metric.name}"; metric names must be unique` });
      seen.add(metric.name);
    });
  }),
});

export type AnalysisTemplateDocument = z.infer<typeof AnalysisTemplateSchema>;
