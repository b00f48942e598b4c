import type { AnalysisRun, MetricResult, RunMetric } from "./types.js";

/** GitHub refuses a check run's text longer than this. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
/** Longest query or URL shown in full. */
const MAX_SHOWN_SPEC = 2_000;

/**
 * The AnalysisRun as Markdown for its check run: the outcome, the args (secret ones by name
 * only), then for every metric its phase, counters, conditions, provider and every measurement
 * kept. Past `limit` characters the rest is cut at a whole line and a note says how much is
 * missing, so the text is always accepted by GitHub.
 */
export function renderAnalysisRun(run: AnalysisRun, limit: number = CHECK_RUN_TEXT_LIMIT): string {
  const blocks: string[] = [`## Analysis: ${run.phase}`, ...(run.message ? [`> ${inline(run.message)}`] : []), renderHeader(run)];
  if (run.args.length > 0) blocks.push(renderArgs(run));
  for (const metric of run.metrics) blocks.push(...renderMetric(metric, run.metricResults.find((r) => r.name === metric.name)));
  return fit(blocks, limit);
}

function renderHeader(run: AnalysisRun): string {
  const templates = run.templates.map((t) => `\`${t.name}\`${t.kind === "ClusterAnalysisTemplate" ? " (cluster)" : ""}`).join(", ");
  const times = `started ${run.startedAt}${run.completedAt ? `, completed ${run.completedAt}` : ""}`;
  return `Templates: ${templates || "none"} · ${times}`;
}

function renderArgs(run: AnalysisRun): string {
  const rows = run.args.map((arg) => `| \`${cell(arg.name)}\` | ${"value" in arg ? `\`${cell(arg.value)}\`` : `secret \`${cell(arg.secretKeyRef.name)}\` key \`${cell(arg.secretKeyRef.key)}\``} |`);
  return ["| arg | value |", "|---|---|", ...rows].join("\n");
}

function renderMetric(metric: RunMetric, result: MetricResult | undefined): string[] {
  const phase = result?.phase ?? "Pending";
  const blocks = [`### ${metric.name}: ${phase}${metric.dryRun ? " (dry run: does not decide the run)" : ""}`];
  if (result?.message) blocks.push(`> ${inline(result.message)}`);
  if (result) {
    blocks.push(`${result.count} measured · ${result.successful} successful · ${result.failed} failed · ${result.inconclusive} inconclusive · ${result.error} errors`);
  }
  blocks.push(renderRules(metric));
  blocks.push(renderProvider(metric));
  if (!result || result.measurements.length === 0) {
    blocks.push("No measurement yet.");
    return blocks;
  }
  if (result.dropped > 0) blocks.push(`${result.dropped} older measurement${result.dropped === 1 ? " is" : "s are"} not kept (the record keeps the newest ${metric.retention}).`);
  blocks.push("| # | phase | value | started | finished | message |\n|---|---|---|---|---|---|");
  result.measurements.forEach((m, index) => {
    blocks.push(`| ${result.dropped + index + 1} | ${m.phase} | ${m.value !== undefined ? `\`${cell(m.value)}\`` : ""} | ${m.startedAt} | ${m.finishedAt ?? ""} | ${cell(m.message ?? "")} |`);
  });
  return blocks;
}

function renderRules(metric: RunMetric): string {
  const { spec, schedule } = metric;
  const parts = [
    spec.successCondition ? `success when \`${cell(spec.successCondition)}\`` : undefined,
    spec.failureCondition ? `failure when \`${cell(spec.failureCondition)}\`` : undefined,
    schedule.count !== undefined ? `${schedule.count} measurement${schedule.count === 1 ? "" : "s"}` : "measured until the run is stopped",
    spec.interval ? `every ${spec.interval}` : undefined,
    spec.initialDelay ? `after ${spec.initialDelay}` : undefined,
    `failureLimit ${schedule.failureLimit}`,
    `inconclusiveLimit ${schedule.inconclusiveLimit}`,
    `consecutiveErrorLimit ${schedule.consecutiveErrorLimit}`,
    schedule.consecutiveSuccessLimit > 0 ? `consecutiveSuccessLimit ${schedule.consecutiveSuccessLimit}` : undefined,
  ];
  return parts.filter(Boolean).join(" · ");
}

function renderProvider(metric: RunMetric): string {
  const { prometheus, web } = metric.spec.provider;
  if (prometheus) return `Prometheus ${prometheus.address ? `\`${cell(prometheus.address)}\`` : "(the App's default)"}${prometheus.rangeQuery ? `, range ${prometheus.rangeQuery.start} … ${prometheus.rangeQuery.end} step ${prometheus.rangeQuery.step}` : ""}:\n\n${fence(clip(prometheus.query), "promql")}`;
  if (web) return `Web ${web.method ?? "GET"} \`${cell(clip(web.url))}\`${web.jsonPath ? ` · jsonPath \`${cell(web.jsonPath)}\`` : ""}`;
  return "No provider.";
}

/** Joins blocks until the next would pass the limit, then says what was left out. */
function fit(blocks: readonly string[], limit: number): string {
  const full = blocks.join("\n\n");
  if (full.length <= limit) return full;
  const kept: string[] = [];
  let length = 0;
  const noteRoom = 200;
  for (const block of blocks) {
    const next = length + (kept.length ? 2 : 0) + block.length;
    if (next > limit - noteRoom) break;
    kept.push(block);
    length = next;
  }
  const left = blocks.length - kept.length;
  return `${kept.join("\n\n")}\n\n_… ${left} more part${left === 1 ? "" : "s"} (metrics or measurements) not shown: GitHub keeps at most ${limit} characters of a check run's text._`;
}

function fence(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${language}\n${text}\n${ticks}`;
}

/** Text safe inside a table cell or inline code: one line, pipes escaped, backticks softened. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/`/g, "'");
}

function inline(text: string): string {
  return text.replace(/\r?\n/g, " ");
}

function clip(text: string): string {
  return text.length > MAX_SHOWN_SPEC ? `${text.slice(0, MAX_SHOWN_SPEC)}…` : text;
}
