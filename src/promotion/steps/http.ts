import { fetch } from "undici";
import { z } from "zod";
import { createGuardedAgent } from "../../network/create-guarded-agent.js";
import { NonPublicAddressError } from "../../network/non-public-address-error.js";
import { promotionGuard } from "../../network/read-network-policy.js";
import type { JsonObject, JsonValue } from "../expressions/index.js";
import { parseDuration } from "../parse-duration.js";
import { evaluateBare, evaluateOutputs } from "../step-support/evaluate-outputs.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const pair = z.strictObject({ name: z.string().min(1), value: z.string() });
const schema = z.strictObject({
  method: z.string().regex(/^[A-Z]+$/, "use an HTTP method in capitals, e.g. GET").default("GET"),
  url: z.string().min(1),
  headers: z.array(pair).default([]),
  queryParams: z.array(pair).default([]),
  body: z.string().optional(),
  insecureSkipTLSVerify: z.boolean().default(false),
  timeout: z.string().min(1).default("10s"),
  successExpression: z.string().min(1).optional(),
  failureExpression: z.string().min(1).optional(),
  outputs: z.array(z.strictObject({ name: z.string().min(1), fromExpression: z.string().min(1) })).default([]),
});

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Calls an HTTP endpoint and decides from the response: success/failure expressions over
 * `response.status`, `response.headers`, `response.body`; when neither matches it polls (Running).
 */
export const http = defineStep({
  uses: "http",
  config: schema,
  async run(config, env) {
    const url = parseURL(config.url, config.queryParams);
    const dispatcher = createGuardedAgent(promotionGuard(env.services), { rejectUnauthorized: !config.insecureSkipTLSVerify });
    const timeoutMs = parseDuration(config.timeout, "config.timeout");
    let response;
    try {
      response = await fetch(url, {
        method: config.method,
        headers: config.headers.map((h) => [h.name, h.value] as [string, string]),
        ...(config.body !== undefined ? { body: config.body } : {}),
        redirect: "manual",
        dispatcher,
        signal: AbortSignal.any([env.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      throw describeFetchError(error, config.url, config.timeout);
    } finally {
      void dispatcher.close();
    }
    const text = await readCapped(response.body, config.url);
    const scope: JsonObject = { response: { status: response.status, headers: Object.fromEntries(response.headers), body: parseBody(text) } };
    const decide = (expression: string | undefined, field: string) => expression !== undefined && truthy(evaluateBare(expression, scope, env, field));
    const succeeded = config.successExpression === undefined && config.failureExpression === undefined ? response.ok : decide(config.successExpression, "config.successExpression");
    const failed = config.successExpression === undefined && config.failureExpression === undefined ? !response.ok : decide(config.failureExpression, "config.failureExpression");
    if (failed) throw new StepFailure(`${config.method} ${config.url} answered ${response.status}, which counts as failure`);
    if (!succeeded) return { phase: "Running", message: `${config.method} ${config.url} answered ${response.status}; waiting for the success condition` };
    return { phase: "Succeeded", outputs: evaluateOutputs(config.outputs, scope, env) };
  },
});

function parseURL(text: string, query: { name: string; value: string }[]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StepFailure(`config.url: "${text}" is not a URL; write it like https://example.com/path`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new StepFailure(`config.url: only http and https are allowed, not ${url.protocol}`);
  for (const q of query) url.searchParams.append(q.name, q.value);
  return url;
}

function describeFetchError(error: unknown, url: string, timeout: string): Error {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause instanceof NonPublicAddressError) return new StepFailure(`config.url: ${cause.message}`);
  if ((error as Error).name === "TimeoutError") return new Error(`${url} did not answer within ${timeout}; raise config.timeout or check the server`);
  return new Error(`${url} could not be reached: ${cause?.message ?? (error as Error).message}`);
}

/** Reads the body up to MAX_BODY_BYTES, stopping (not buffering) a server that sends more. */
async function readCapped(body: AsyncIterable<Uint8Array> | null, url: string): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new StepFailure(`${url} answered with more than ${MAX_BODY_BYTES} bytes; the http step reads at most that much`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function truthy(value: JsonValue): boolean {
  return !(value === null || value === false || value === 0 || value === "");
}

