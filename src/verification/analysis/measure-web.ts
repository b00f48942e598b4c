import type { JsonValue } from "../../promotion/expressions/index.js";
import { evaluateConditions } from "./evaluate-condition.js";
import { credentialFor, type ProviderContext } from "./provider-context.js";
import { requestProvider } from "./request-provider.js";
import { parseJsonPath, selectJsonPath } from "./select-json-path.js";
import type { Measurement, MetricSpec, WebProviderSpec } from "./types.js";

/** Rollouts' default when timeoutSeconds is absent or not positive. */
const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * Takes one measurement of a web metric, as Rollouts' web provider does: one request (GET unless
 * the template says POST or PUT, with its headers and body), a 2xx answer required, then `result`
 * is the value `jsonPath` selects from a JSON answer (the whole answer without one), or the text
 * itself when the answer is not JSON.
 */
export async function measureWeb(metric: MetricSpec, context: ProviderContext): Promise<Measurement> {
  const startedAt = context.clock.now().toISOString();
  const spec = metric.provider.web as WebProviderSpec;
  try {
    const segments = parseJsonPath(spec.jsonPath || "{$}");
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new Error(`${JSON.stringify(spec.url)} is not a URL`);
    }
    const headers: Record<string, string> = {};
    for (const header of spec.headers ?? []) headers[header.key.toLowerCase()] = header.value;
    if (spec.jsonBody !== undefined) headers["content-type"] = "application/json";
    Object.assign(headers, credentialFor(context, url).headers);
    const body = spec.jsonBody !== undefined ? JSON.stringify(spec.jsonBody) : spec.body;
    const timeoutSeconds = spec.timeoutSeconds && spec.timeoutSeconds > 0 ? spec.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
    const response = await requestProvider({
      url,
      method: spec.method ?? "GET",
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: timeoutSeconds * 1000,
      policy: context.policy,
      ...(spec.insecure ? { insecure: true } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (response.status < 200 || response.status >= 300) throw new Error(`received non 2xx response code: ${response.status}`);
    const { value, text } = readValue(response.text, segments);
    const outcome = evaluateConditions(metric, value, context.clock);
    return { phase: outcome.phase, value: text, ...(outcome.message ? { message: outcome.message } : {}), startedAt, finishedAt: context.clock.now().toISOString() };
  } catch (error) {
    return { phase: "Error", message: (error as Error).message, startedAt, finishedAt: context.clock.now().toISOString() };
  }
}

function readValue(body: string, segments: ReturnType<typeof parseJsonPath>): { value: JsonValue; text: string } {
  let document: JsonValue;
  try {
    document = JSON.parse(body) as JsonValue;
  } catch {
    return { value: body, text: body };
  }
  let selected: ReturnType<typeof selectJsonPath>;
  try {
    selected = selectJsonPath(document, segments);
  } catch (error) {
    throw new Error(`Could not find JSONPath in body: ${(error as Error).message}`);
  }
  if (!selected.found) throw new Error("result of web metric produced no value");
  return { value: selected.value, text: JSON.stringify(selected.value) };
}
