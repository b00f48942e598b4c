import { describe, expect, it } from "vitest";
import {
  createAnalysisRun,
  ERROR_RETRY_INTERVAL_MS,
  nextAnalysisStep,
  recordMeasurement,
  terminateAnalysisRun,
  type AnalysisPhase,
  type AnalysisRun,
  type AnalysisTemplate,
  type MetricSpec,
} from "../../../src/verification/analysis/index.js";

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function template(metrics: Omit<MetricSpec, "provider">[], extra: Partial<AnalysisTemplate> = {}): AnalysisTemplate {
  return {
    kind: "AnalysisTemplate",
    name: "t",
    args: [],
    metrics: metrics.map((m) => ({ ...m, provider: { web: { url: "https://metrics.example.com/" } } })),
    dryRun: [],
    measurementRetention: [],
    ...extra,
  };
}

/** Records a measurement of `metric` with `phase`, taken at `seconds` after T0. */
function measure(run: AnalysisRun, metric: string, phase: AnalysisPhase, seconds: number): AnalysisRun {
  return recordMeasurement(run, metric, { phase, value: "1", startedAt: at(seconds).toISOString(), finishedAt: at(seconds).toISOString() }, at(seconds));
}

describe("nextAnalysisStep and recordMeasurement (Rollouts' semantics)", () => {
  it("takes one measurement when neither count nor interval is given", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m" }])], now: T0 });
    expect(nextAnalysisStep(run, T0)).toEqual({ kind: "measure", metrics: ["m"] });
    run = measure(run, "m", "Successful", 0);
    expect(run.phase).toBe("Successful");
    expect(nextAnalysisStep(run, at(60))).toEqual({ kind: "complete", phase: "Successful" });
  });

  it("spaces count measurements by interval after the last one finished", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m", interval: "30s", count: 3 }])], now: T0 });
    run = measure(run, "m", "Successful", 0);
    expect(nextAnalysisStep(run, at(10))).toEqual({ kind: "wait", until: at(30).toISOString(), metrics: ["m"] });
    expect(nextAnalysisStep(run, at(30))).toEqual({ kind: "measure", metrics: ["m"] });
    run = measure(run, "m", "Successful", 31);
    expect(run.phase).toBe("Running");
    run = measure(run, "m", "Successful", 61);
    expect(run.phase).toBe("Successful");
    expect(run.completedAt).toBe(at(61).toISOString());
  });

  it("waits out initialDelay from the run's start", () => {
    const run = createAnalysisRun({ templates: [template([{ name: "m", initialDelay: "5m" }])], now: T0 });
    expect(nextAnalysisStep(run, at(1))).toEqual({ kind: "wait", until: at(300).toISOString(), metrics: ["m"] });
  });

  it("tolerates failureLimit failures (default 0) and fails past it", () => {
    let strict = createAnalysisRun({ templates: [template([{ name: "m", interval: "1m", count: 5 }])], now: T0 });
    strict = measure(strict, "m", "Failed", 0);
    expect(strict.phase).toBe("Failed");
    expect(strict.message).toBe('Metric "m" assessed Failed due to failed (1) > failureLimit (0)');
    let lenient = createAnalysisRun({ templates: [template([{ name: "m", interval: "1m", count: 5, failureLimit: 2 }])], now: T0 });
    for (const [i, phase] of (["Failed", "Successful", "Failed", "Successful", "Successful"] as const).entries()) lenient = measure(lenient, "m", phase, i * 60);
    expect(lenient.phase).toBe("Successful");
    expect(lenient.metricResults[0]).toMatchObject({ count: 5, failed: 2, successful: 3 });
  });

  it("retries an error after 10 s and errors after more than consecutiveErrorLimit (default 4) in a row", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m" }])], now: T0 });
    for (let i = 0; i < 4; i += 1) {
      run = measure(run, "m", "Error", i * 10);
      expect(run.phase).toBe("Running");
      expect(nextAnalysisStep(run, at(i * 10 + 1))).toEqual({ kind: "wait", until: new Date(at(i * 10).getTime() + ERROR_RETRY_INTERVAL_MS).toISOString(), metrics: ["m"] });
    }
    run = measure(run, "m", "Error", 40);
    expect(run.phase).toBe("Error");
    expect(run.message).toContain("consecutiveErrors (5) > consecutiveErrorLimit (4)");
  });

  it("a success resets the error streak; errors do not count towards count", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m", interval: "1s", count: 2 }])], now: T0 });
    run = measure(run, "m", "Error", 0);
    run = measure(run, "m", "Successful", 10);
    run = measure(run, "m", "Error", 11);
    expect(run.metricResults[0]).toMatchObject({ count: 1, error: 2, consecutiveError: 1, phase: "Running" });
    run = measure(run, "m", "Successful", 21);
    expect(run.phase).toBe("Successful");
  });

  it("is inconclusive past inconclusiveLimit", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m", interval: "1s", count: 3, inconclusiveLimit: 1 }])], now: T0 });
    run = measure(run, "m", "Inconclusive", 0);
    expect(run.phase).toBe("Running");
    run = measure(run, "m", "Inconclusive", 1);
    expect(run.phase).toBe("Inconclusive");
  });

  it("succeeds on consecutiveSuccessLimit, and is inconclusive when the count ends short of it", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m", interval: "1s", count: 4, failureLimit: 1, consecutiveSuccessLimit: 2 }])], now: T0 });
    run = measure(run, "m", "Successful", 0);
    run = measure(run, "m", "Failed", 1);
    run = measure(run, "m", "Successful", 2);
    run = measure(run, "m", "Successful", 3);
    expect(run.phase).toBe("Successful");
    let short = createAnalysisRun({ templates: [template([{ name: "m", interval: "1s", count: 3, failureLimit: 1, consecutiveSuccessLimit: 2 }])], now: T0 });
    for (const [i, phase] of (["Successful", "Failed", "Successful"] as const).entries()) short = measure(short, "m", phase, i);
    expect(short.phase).toBe("Inconclusive");
  });

  it("takes the worst metric; a failed metric stops the others, which count as Successful", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "slow", interval: "1m", count: 10 }, { name: "fast" }])], now: T0 });
    expect(nextAnalysisStep(run, T0)).toEqual({ kind: "measure", metrics: ["slow", "fast"] });
    run = measure(run, "slow", "Successful", 0);
    run = measure(run, "fast", "Failed", 0);
    expect(run.phase).toBe("Failed");
    expect(run.metricResults.map((r) => [r.name, r.phase])).toEqual([
      ["slow", "Successful"],
      ["fast", "Failed"],
    ]);
    expect(nextAnalysisStep(run, at(120)).kind).toBe("complete");
  });

  it("lets a dry-run metric fail without failing the run", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "canary-5xx" }, { name: "latency" }], { dryRun: ["^canary-"] })], now: T0 });
    run = measure(run, "canary-5xx", "Failed", 0);
    expect(run.phase).toBe("Running");
    run = measure(run, "latency", "Successful", 0);
    expect(run.phase).toBe("Successful");
    expect(run.metricResults[0]).toMatchObject({ dryRun: true, phase: "Failed", message: "Metric assessed Failed due to failed (1) > failureLimit (0)" });
  });

  it("runs a metric with an interval and no count until terminated, then counts it Successful", () => {
    let run = createAnalysisRun({ templates: [template([{ name: "m", interval: "1m" }])], now: T0 });
    for (let i = 0; i < 20; i += 1) run = measure(run, "m", "Successful", i * 60);
    expect(run.phase).toBe("Running");
    expect(run.metricResults[0]?.measurements).toHaveLength(10);
    expect(run.metricResults[0]?.dropped).toBe(10);
    run = terminateAnalysisRun(run, at(1300));
    expect(run).toMatchObject({ phase: "Successful", message: "Run Terminated", terminate: true });
  });

  it("ignores a measurement replayed after the run completed", () => {
    const run = measure(createAnalysisRun({ templates: [template([{ name: "m" }])], now: T0 }), "m", "Successful", 0);
    expect(measure(run, "m", "Failed", 5)).toBe(run);
  });
});

describe("createAnalysisRun", () => {
  const invalid = (templates: AnalysisTemplate[], args?: { name: string; value: string }[]) => {
    const run = createAnalysisRun({ templates, ...(args ? { args } : {}), now: T0 });
    expect(run.phase).toBe("Error");
    return run.message;
  };

  it("merges the stage's args over the templates' defaults and resolves numbers from args", () => {
    const run = createAnalysisRun({
      templates: [template([{ name: "m", interval: "{{args.every}}", count: "{{args.times}}" }], { args: [{ name: "every", value: "1m" }, { name: "times" }] })],
      args: [{ name: "times", value: "4" }, { name: "unused", value: "x" }],
      now: T0,
    });
    expect(run.phase).toBe("Running");
    expect(run.metrics[0]?.schedule).toMatchObject({ intervalMs: 60_000, count: 4 });
    expect(run.args).toEqual([
      { name: "every", value: "1m" },
      { name: "times", value: "4" },
    ]);
  });

  it("refuses what Rollouts refuses, saying why", () => {
    expect(invalid([template([{ name: "m" }], { args: [{ name: "service" }] })])).toContain("args.service was not resolved");
    expect(invalid([template([{ name: "m", count: 3 }])])).toContain("interval must be given when count > 1");
    expect(invalid([template([{ name: "m", interval: "1s", count: 2, failureLimit: 3 }])])).toContain("count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0)");
    expect(invalid([template([{ name: "m", failureLimit: -1 }])])).toContain("cannot both be off");
    expect(invalid([template([{ name: "m" }]), template([{ name: "m" }])])).toContain('two metrics have the same name "m"');
    expect(invalid([template([{ name: "m" }], { args: [{ name: "a", value: "1" }] }), template([{ name: "n" }], { args: [{ name: "a", value: "2" }] })])).toContain('arg "a" has two different values');
    expect(invalid([template([{ name: "m" }], { dryRun: ["^nothing$"] })])).toContain('dryRun[0]: "^nothing$" matches no metric name');
  });

  it("refuses a hostile schedule: a tight loop, a century-long wait, a pattern that is not RE2", () => {
    expect(invalid([template([{ name: "m", interval: "{{args.i}}", count: 3 }], { args: [{ name: "i", value: "1ms" }] })])).toContain("interval must be at least 1s");
    expect(invalid([template([{ name: "m", initialDelay: "876000h" }])])).toContain("must be between 0s and 8784h");
    expect(invalid([template([{ name: "m" }], { dryRun: ["(a+)+\\1"] })])).toContain("dryRun[0]: metricName is not a regular expression");
  });
});
