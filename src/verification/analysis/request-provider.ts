import { fetch } from "undici";
import { createGuardedAgent } from "../../network/create-guarded-agent.js";
import { NonPublicAddressError } from "../../network/non-public-address-error.js";
import { promotionGuard } from "../../network/read-network-policy.js";
import type { NetworkPolicy } from "../../network/types.js";

/** Largest answer read from a metric provider; a bigger one is an error, not a truncated result. */
export const MAX_PROVIDER_RESPONSE_BYTES = 1024 * 1024;

export interface ProviderRequest {
  url: URL;
  method: "GET" | "POST" | "PUT";
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Skip TLS verification, as the template's `insecure: true` asks. */
  insecure?: boolean;
  policy: NetworkPolicy;
  signal?: AbortSignal;
}

export interface ProviderResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * One request to a metric provider named in a repository's template. It goes through the App's
 * address guard (loopback, link-local and private addresses refused unless STAGECOACH_ALLOW_PRIVATE_HOSTS
 * allows them), follows no redirect (credentials meant for one address never reach another), and
 * must answer within the time and size budgets. Failures are thrown as Errors whose message says
 * what happened, ready to become an Error measurement.
 */
export async function requestProvider(request: ProviderRequest): Promise<ProviderResponse> {
  if (request.url.protocol !== "http:" && request.url.protocol !== "https:") throw new Error(`only http and https are supported, not ${request.url.protocol}`);
  const dispatcher = createGuardedAgent(promotionGuard(request.policy), { rejectUnauthorized: !request.insecure });
  const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]) : AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: "manual",
      dispatcher,
      signal,
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AnswerError(`answered ${response.status} (a redirect${response.headers.get("location") ? ` to ${response.headers.get("location")}` : ""}); redirects are not followed: use the final address`);
    }
    const text = await readLimited(response.body);
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", text };
  } catch (error) {
    throw new Error(describe(error, request.timeoutMs), { cause: error });
  } finally {
    void dispatcher.close();
  }
}

async function readLimited(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PROVIDER_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerError(`the answer is larger than ${MAX_PROVIDER_RESPONSE_BYTES / 1024} KiB; ask for less (aggregate the query, or point jsonPath at a smaller endpoint)`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** What the provider's answer was wrong about (as opposed to a failure to get one). */
class AnswerError extends Error {}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err instanceof AnswerError) return err.message;
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = err.cause;
  if (cause instanceof NonPublicAddressError) return cause.message;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND") return "the host does not resolve";
  return cause?.message ?? err.message;
}
