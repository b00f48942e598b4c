import { parseDuration } from "../../promotion/expressions/expr-lang/go-duration.js";
import { parseGoFloat } from "../../promotion/expressions/expr-lang/go-text.js";
import { credentialFor, type ProviderContext } from "./provider-context.js";
import { evaluateConditions, evaluateTime } from "./evaluate-condition.js";
import { requestProvider } from "./request-provider.js";
import type { Measurement, MetricSpec, PrometheusProviderSpec } from "./types.js";

/** Rollouts' default when a template gives no timeout. */
const DEFAULT_TIMEOUT_SECONDS = 30;
/** Past this, the query goes in a POST form (as Prometheus' own client always does) rather than the URL. */
const MAX_QUERY_IN_URL = 4_000;

interface PromResponse {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

type Sample = [number, string];

/**
 * Takes one measurement of a Prometheus metric, as Rollouts' Prometheus provider does: an instant
 * query at now (`/api/v1/query`), or a range query when `rangeQuery` is given, and `result` for
 * the conditions is what Rollouts makes of the answer: a number for a scalar, the list of every
 * sample's value for a vector (`result[0]`), every value of every series for a matrix. The
 * measurement's value is the same in Go's text (`[0.95,1]`, `NaN`).
 */
export async function measurePrometheus(metric: MetricSpec, context: ProviderContext): Promise<Measurement> {
  const startedAt = context.clock.now().toISOString();
  const spec = metric.provider.prometheus as PrometheusProviderSpec;
  const failed = (message: string): Measurement => ({ phase: "Error", message, startedAt, finishedAt: context.clock.now().toISOString() });
  try {
    const request = buildRequest(spec, context);
    const response = await requestProvider(request);
    const answer = readAnswer(response.text, response.status);
    const result = readResult(answer);
    const outcome = evaluateConditions(metric, result.value, context.clock);
    return {
      phase: outcome.phase,
      value: result.text,
      ...(outcome.message ? { message: outcome.message } : {}),
      startedAt,
      finishedAt: context.clock.now().toISOString(),
      ...(answer.warnings?.length ? { metadata: { warnings: answer.warnings.map((w) => `"${w}"`).join(", ") } } : {}),
    };
  } catch (error) {
    return failed((error as Error).message);
  }
}

function buildRequest(spec: PrometheusProviderSpec, context: ProviderContext) {
  const address = spec.address || context.settings?.prometheus?.defaultAddress;
  if (!address) throw new Error("prometheus address is not configured: give provider.prometheus.address, or ask the App's operator for a default Prometheus");
  let base: URL;
  try {
    base = new URL(address.endsWith("/") ? address : `${address}/`);
  } catch {
    throw new Error(`prometheus address ${JSON.stringify(address)} is not a URL; write it like http://prometheus.example.com:9090`);
  }
  const now = context.clock.now();
  const params = new URLSearchParams({ query: spec.query });
  let endpoint = "api/v1/query";
  if (spec.rangeQuery) {
    endpoint = "api/v1/query_range";
    const step = parseDuration(spec.rangeQuery.step).ns / 1e9;
    if (step <= 0) throw new Error(`rangeQuery.step ${JSON.stringify(spec.rangeQuery.step)} must be positive`);
    params.set("start", seconds(evaluateTime(spec.rangeQuery.start, "rangeQuery.start", context.clock)));
    params.set("end", seconds(evaluateTime(spec.rangeQuery.end, "rangeQuery.end", context.clock)));
    params.set("step", String(step));
  } else {
    params.set("time", seconds(now));
  }
  const url = new URL(endpoint, base);
  const credential = credentialFor(context, url);
  const headers: Record<string, string> = { accept: "application/json" };
  for (const header of spec.headers ?? []) headers[header.key.toLowerCase()] = header.value;
  const basic = spec.authentication?.basicAuth;
  if (basic && (basic.username || basic.password)) {
    if (!basic.username || !basic.password) throw new Error(`authentication.basicAuth needs both username and password; ${basic.username ? "password" : "username"} is empty`);
    headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString("base64")}`;
  }
  Object.assign(headers, credential.headers);
  const form = params.toString();
  const timeoutMs = (spec.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000 || DEFAULT_TIMEOUT_SECONDS * 1000;
  const common = { headers, timeoutMs, policy: context.policy, ...(spec.insecure ? { insecure: true } : {}), ...(context.signal ? { signal: context.signal } : {}) };
  if (form.length <= MAX_QUERY_IN_URL) {
    url.search = form;
    return { ...common, url, method: "GET" as const };
  }
  return { ...common, url, method: "POST" as const, headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: form };
}

function readAnswer(text: string, status: number): PromResponse {
  let answer: PromResponse;
  try {
    answer = JSON.parse(text) as PromResponse;
  } catch {
    throw new Error(status >= 200 && status < 300 ? "Prometheus answered with something that is not JSON; is address a Prometheus server?" : `server returned HTTP status ${status}`);
  }
  if (answer.status === "error" || status < 200 || status >= 300) {
    throw new Error(answer.error ? `${answer.errorType ?? "error"}: ${answer.error}` : `server returned HTTP status ${status}`);
  }
  return answer;
}

function readResult(answer: PromResponse): { value: number | number[]; text: string } {
  const { resultType, result } = answer.data ?? {};
  const reading = RESULT_READERS[resultType ?? ""];
  if (!reading) throw new Error(`Prometheus metric type not supported: ${resultType ?? "none"}`);
  return reading(result);
}

/** How each of Prometheus' result types becomes Rollouts' `result`. */
const RESULT_READERS: Readonly<Record<string, (result: unknown) => { value: number | number[]; text: string }>> = {
  scalar: (result) => {
    const value = sampleValue(result as Sample);
    return { value, text: formatSampleValue(value) };
  },
  vector: (result) => listed((result as { value: Sample }[]).map((series) => sampleValue(series.value))),
  matrix: (result) => listed((result as { values: Sample[] }[]).flatMap((series) => series.values.map(sampleValue))),
};

function listed(values: number[]): { value: number[]; text: string } {
  return { value: values, text: `[${values.map(formatSampleValue).join(",")}]` };
}

function sampleValue(sample: Sample): number {
  const value = Array.isArray(sample) ? parseGoFloat(String(sample[1])) : undefined;
  if (value === undefined) throw new Error(`Prometheus sent a sample that is not [time, "value"]: ${JSON.stringify(sample).slice(0, 200)}`);
  return value;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64), as Prometheus' SampleValue.String writes a value. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  const text = String(value);
  if (!text.includes("e")) return text;
  if (Math.abs(value) >= 1) return BigInt(value).toString();
  const [digits = "", exponent = "0"] = text.replace("-", "").split("e");
  const mantissa = digits.replace(".", "");
  return `${value < 0 ? "-" : ""}0.${"0".repeat(-Number(exponent) - 1)}${mantissa}`;
}

function seconds(date: Date): string {
  return String(date.getTime() / 1000);
}
