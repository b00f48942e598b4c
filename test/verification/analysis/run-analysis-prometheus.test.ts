import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { systemClock } from "../../../src/clock.js";
import { parseHostAllowList } from "../../../src/network/read-network-policy.js";
import {
  createAnalysisRun,
  createMeasureMetric,
  parseAnalysisRun,
  readAnalysisTemplate,
  renderAnalysisRun,
  runAnalysisToCompletion,
  serializeAnalysisRun,
  type AnalysisRun,
  type AnalysisSettings,
  type AnalysisTemplate,
} from "../../../src/verification/analysis/index.js";
import { startMetricTarget, startPrometheus, type MetricTarget, type TestPrometheus } from "./support/prometheus.js";

let target: MetricTarget;
let prometheus: TestPrometheus;
let settings: AnalysisSettings;

beforeAll(async () => {
  target = await startMetricTarget();
  target.set('app_success_ratio{service="good"}', 0.99);
  target.set('app_success_ratio{service="bad"}', 0.5);
  target.set('app_success_ratio{service="meh"}', 0.7);
  prometheus = await startPrometheus(target.port);
  await prometheus.waitFor('app_success_ratio{service="meh"}', "0.7");
  settings = { credentials: [{ address: prometheus.url, basicAuth: prometheus.user }] };
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await target?.close();
});

function template(yaml: string): AnalysisTemplate {
  const reading = readAnalysisTemplate(parse(yaml));
  if (!reading.template) throw new Error(reading.problems.map((p) => p.message).join("; "));
  return reading.template;
}

const successRate = (extra: string) => `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
    - name: service
    - name: address
  metrics:
    - name: success-rate
      interval: 1s
      count: 3
      successCondition: result[0] >= 0.95
${extra}
      provider:
        prometheus:
          address: "{{args.address}}"
          timeout: 5
          query: |
            app_success_ratio{service="{{ args.service }}"}
`;

async function analyse(yaml: string, service: string, overrides: { settings?: AnalysisSettings; allow?: string } = {}): Promise<AnalysisRun> {
  const run = createAnalysisRun({ templates: [template(yaml)], args: [{ name: "service", value: service }, { name: "address", value: prometheus.url }], now: systemClock.now() });
  expect(run.phase).toBe("Running");
  const policy = parseHostAllowList(overrides.allow ?? `127.0.0.1:${prometheus.port}`);
  const passes: AnalysisRun[] = [];
  const done = await runAnalysisToCompletion(run, {
    clock: systemClock,
    measure: createMeasureMetric({ policy, settings: overrides.settings ?? settings, clock: systemClock }),
    // The App keeps the run in a check run between passes: every pass must survive that trip.
    onPass: ({ run: passed }) => {
      passes.push(parseAnalysisRun(serializeAnalysisRun(passed)));
    },
  });
  expect(passes.at(-1)).toEqual(done);
  return done;
}

describe("an AnalysisRun against a real Prometheus", () => {
  it("succeeds after three good measurements, one a second", async () => {
    const run = await analyse(successRate(""), "good");
    expect(run.phase).toBe("Successful");
    const [result] = run.metricResults;
    expect(result).toMatchObject({ name: "success-rate", phase: "Successful", count: 3, successful: 3, failed: 0 });
    expect(result?.measurements.map((m) => m.value)).toEqual(["[0.99]", "[0.99]", "[0.99]"]);
    const starts = result?.measurements.map((m) => Date.parse(m.startedAt)) ?? [];
    expect((starts[2] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(2000);
    const text = renderAnalysisRun(run);
    expect(text).toContain("## Analysis: Successful");
    expect(text.match(/\| Successful \| `\[0\.99\]` \|/g)).toHaveLength(3);
    expect(text).toContain('app_success_ratio{service="{{ args.service }}"}');
  });

  it("fails once failures pass failureLimit, without taking the third measurement", async () => {
    const run = await analyse(successRate("      failureLimit: 1"), "bad");
    expect(run.phase).toBe("Failed");
    expect(run.message).toBe('Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    expect(run.metricResults[0]).toMatchObject({ phase: "Failed", count: 2, failed: 2 });
    expect(run.metricResults[0]?.measurements.map((m) => [m.phase, m.value])).toEqual([
      ["Failed", "[0.5]"],
      ["Failed", "[0.5]"],
    ]);
  });

  it("is inconclusive when the value meets neither condition", async () => {
    const run = await analyse(successRate("      failureCondition: result[0] < 0.6"), "meh");
    expect(run.phase).toBe("Inconclusive");
    expect(run.message).toContain("inconclusive (1) > inconclusiveLimit (0)");
    expect(run.metricResults[0]?.measurements).toHaveLength(1);
    expect(run.metricResults[0]?.measurements[0]).toMatchObject({ phase: "Inconclusive", value: "[0.7]" });
  });

  it("errors on a query that matches nothing, saying no data came back", async () => {
    const run = await analyse(successRate("      consecutiveErrorLimit: 0"), "missing");
    expect(run.phase).toBe("Error");
    expect(run.metricResults[0]?.measurements[0]).toMatchObject({ phase: "Error", value: "[]" });
    expect(run.metricResults[0]?.measurements[0]?.message).toContain("metric result is nil or empty: no data returned from the metric provider");
  });

  it("sends the operator's credentials only for their address: without them Prometheus refuses", async () => {
    const run = await analyse(successRate("      consecutiveErrorLimit: 0"), "good", { settings: {} });
    expect(run.phase).toBe("Error");
    expect(run.metricResults[0]?.measurements[0]?.message).toBe("server returned HTTP status 401");
  });

  it("is refused by the App's address guard unless the policy allows the loopback host", async () => {
    const run = await analyse(successRate("      consecutiveErrorLimit: 0"), "good", { allow: "" });
    expect(run.phase).toBe("Error");
    const message = run.metricResults[0]?.measurements[0]?.message ?? "";
    expect(message).toContain("127.0.0.1: loopback");
    expect(message).toContain(`STAGECOACH_ALLOW_PRIVATE_HOSTS=127.0.0.1:${prometheus.port}`);
  });

  it("reads a scalar and a range query as Rollouts does", async () => {
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata: { name: shapes }
spec:
  args: [{ name: service }, { name: address }]
  metrics:
    - name: scalar
      consecutiveErrorLimit: 0
      successCondition: result == 0.99
      provider:
        prometheus: { address: "{{args.address}}", query: 'scalar(app_success_ratio{service="{{args.service}}"})' }
    - name: range
      consecutiveErrorLimit: 0
      successCondition: "len(result) >= 1 && all(result, # == 0.99)"
      provider:
        prometheus:
          address: "{{args.address}}"
          query: 'app_success_ratio{service="{{args.service}}"}'
          rangeQuery: { start: 'now() - duration("3s")', end: "now()", step: 1s }
`;
    const run = await analyse(yaml, "good");
    expect(run.metricResults.map((r) => [r.name, r.phase, r.measurements[0]?.message])).toEqual([
      ["scalar", "Successful", undefined],
      ["range", "Successful", undefined],
    ]);
    expect(run.phase).toBe("Successful");
    expect(run.metricResults.find((r) => r.name === "scalar")?.measurements[0]?.value).toBe("0.99");
    expect(run.metricResults.find((r) => r.name === "range")?.measurements[0]?.value).toMatch(/^\[0\.99(,0\.99)*\]$/);
  });
});
