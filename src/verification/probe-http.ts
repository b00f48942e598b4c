import { fetch } from "undici";
import { createGuardedAgent } from "../network/create-guarded-agent.js";
import { NonPublicAddressError } from "../network/non-public-address-error.js";
import { promotionGuard } from "../network/read-network-policy.js";
import type { NetworkPolicy } from "../network/types.js";
import type { ProbeResult } from "../pipeline/judge-verification.js";

/** One `github.verify.http` entry, as the config schema leaves it. */
export interface HttpProbe {
  url: string;
  method: "GET" | "HEAD";
  /** Statuses that count as up; empty means any 2xx. */
  expectStatus: number[];
  /** Text the body must contain (a version string, "ok"). */
  bodyContains?: string;
  timeoutMs: number;
}

/** Enough of a body to find a version string in, without reading a download into memory. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Asks an endpoint once whether the stage is up: the status must be expected and the body must
 * contain the text, if one is given. Redirects are not followed (a login page is not "up").
 * Loopback, link-local and private addresses are refused unless the App's settings allow them, so
 * a config in a GitOps repository cannot make the App probe its own network.
 */
export async function probeHttp(probe: HttpProbe, policy: NetworkPolicy): Promise<ProbeResult> {
  const result = (passed: boolean, detail: string): ProbeResult => ({ url: probe.url, passed, detail });
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    return result(false, "not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return result(false, `only http and https are probed, not ${url.protocol}`);
  const dispatcher = createGuardedAgent(promotionGuard(policy));
  try {
    const response = await fetch(url, { method: probe.method, redirect: "manual", dispatcher, signal: AbortSignal.timeout(probe.timeoutMs) });
    const expected = probe.expectStatus.length > 0 ? probe.expectStatus.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!expected) {
      await response.body?.cancel();
      return result(false, `answered ${response.status}, expected ${probe.expectStatus.length > 0 ? probe.expectStatus.join(" or ") : "2xx"}`);
    }
    if (probe.bodyContains === undefined) {
      await response.body?.cancel();
      return result(true, `answered ${response.status}`);
    }
    const body = await readStart(response.body);
    return body.includes(probe.bodyContains) ? result(true, `answered ${response.status} with "${probe.bodyContains}"`) : result(false, `answered ${response.status} without "${probe.bodyContains}" in its first ${MAX_BODY_BYTES / 1024} KiB`);
  } catch (error) {
    return result(false, describe(error, probe.timeoutMs));
  } finally {
    void dispatcher.close();
  }
}

async function readStart(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8");
}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = err.cause;
  if (cause instanceof NonPublicAddressError) return cause.message;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND") return "the host does not resolve";
  return cause?.message ?? err.message;
}
