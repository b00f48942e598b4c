import { describe, expect, it } from "vitest";
import {
  CHECK_RUN_TEXT_LIMIT,
  createAnalysisRun,
  MAX_RECORD_CHARS,
  parseAnalysisRun,
  recordMeasurement,
  renderAnalysisRun,
  serializeAnalysisRun,
  type AnalysisRun,
  type AnalysisTemplate,
} from "../../../src/verification/analysis/index.js";

const T0 = new Date("2026-03-01T10:00:00Z");

function runWith(metrics: number, measurements: number, value: (i: number) => string, retention = 100): AnalysisRun {
  const template: AnalysisTemplate = {
    kind: "AnalysisTemplate",
    name: "load",
    args: [{ name: "token", valueFrom: { secretKeyRef: { name: "prom", key: "token" } } }],
    metrics: Array.from({ length: metrics }, (_, i) => ({ name: `m${i}`, interval: "1s", successCondition: "true", provider: { prometheus: { query: `up{i="${i}"} | {{args.token}}` } } })),
    dryRun: [],
    measurementRetention: [{ metricName: ".*", limit: retention }],
  };
  let run = createAnalysisRun({ templates: [template], now: T0 });
  for (let n = 0; n < measurements; n += 1) {
    const at = new Date(T0.getTime() + n * 1000);
    for (const metric of run.metrics) run = recordMeasurement(run, metric.name, { phase: "Successful", value: value(n), message: "ok | fine\nnext", startedAt: at.toISOString() }, at);
  }
  return run;
}

describe("the AnalysisRun record", () => {
  it("round-trips through JSON and keeps secret args as references", () => {
    const run = runWith(2, 3, (i) => `[${i}]`);
    const text = serializeAnalysisRun(run);
    expect(parseAnalysisRun(text)).toEqual(run);
    expect(JSON.parse(text).args).toEqual([{ name: "token", secretKeyRef: { name: "prom", key: "token" } }]);
  });

  it("stays within its budget by dropping the oldest measurements, counters kept whole", () => {
    const run = runWith(10, 100, () => "v".repeat(500));
    const text = serializeAnalysisRun(run);
    expect(text.length).toBeLessThanOrEqual(MAX_RECORD_CHARS);
    const back = parseAnalysisRun(text);
    for (const result of back.metricResults) {
      expect(result.count).toBe(100);
      expect(result.measurements.length + result.dropped).toBe(100);
      expect(result.measurements.at(-1)?.startedAt).toBe(new Date(T0.getTime() + 99_000).toISOString());
    }
  });

  it("clips a hostile value or message to 1,000 characters", () => {
    const run = runWith(1, 1, () => "x".repeat(100_000));
    expect(run.metricResults[0]?.measurements[0]?.value).toHaveLength(1_000);
  });

  it("refuses a damaged or edited record, naming the field", () => {
    const text = serializeAnalysisRun(runWith(1, 1, () => "1"));
    expect(() => parseAnalysisRun(text.replace('"phase":"Successful"', '"phase":"Great"'))).toThrow(/damaged at metricResults\.0\.measurements\.0\.phase|damaged at phase/);
    expect(() => parseAnalysisRun("{")).toThrow("not JSON");
    expect(() => parseAnalysisRun(text.replace('"version":1', '"version":2'))).toThrow("damaged at version");
  });
});

describe("renderAnalysisRun", () => {
  it("shows every kept measurement of every metric, with the args and the query", () => {
    const text = renderAnalysisRun(runWith(2, 3, (i) => `[0.9${i}]`));
    expect(text).toContain("## Analysis: Running");
    expect(text).toContain("| `token` | secret `prom` key `token` |");
    expect(text).toContain("### m0: Running");
    expect(text).toContain("### m1: Running");
    for (const value of ["[0.90]", "[0.91]", "[0.92]"]) expect(text.split(`\`${value}\``).length - 1).toBe(2);
    expect(text).toContain("| ok \\| fine next |");
    expect(text).toContain('up{i="0"} | {{args.token}}');
  });

  it("cuts past GitHub's 65,535 characters and says so", () => {
    const text = renderAnalysisRun(runWith(50, 100, () => "9".repeat(900)));
    expect(text.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(text).toMatch(/_… \d+ more parts \(metrics or measurements\) not shown: GitHub keeps at most 65535 characters of a check run's text\._$/);
  });
});
