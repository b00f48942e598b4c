import type { IncomingMessage } from "node:http";
import type { IngressLimits } from "./ingress-limits.js";

/** The body is over the endpoint's size limit: 413. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** Every byte the server may hold is taken by bodies already arriving: 503, the body never read. */
export class BodyBudgetExceededError extends Error {
  override name = "BodyBudgetExceededError";
  constructor(readonly limit: number) {
    super(`the server is holding ${limit} bytes of request bodies already; try again shortly`);
  }
}

/** The body stalled or trickled: 408, and the connection is closed. */
export class BodyTooSlowError extends Error {
  override name = "BodyTooSlowError";
}

/** The client went away before its body ended: nothing to answer. */
export class RequestAbortedError extends Error {
  override name = "RequestAbortedError";
}

/**
 * Bytes of request bodies held in memory by all requests together. A request takes its declared
 * Content-Length up front (or its bytes as they come when it declares none) and gives them back when
 * its handler is done, so a burst of large forged bodies costs at most the budget.
 */
export interface BodyBudget {
  readonly limit: number;
  /** Bytes held now, and the most ever held at once (metrics and tests). */
  inFlight(): number;
  peak(): number;
  /** Takes `bytes`; false, and nothing taken, when that would pass the limit. */
  reserve(bytes: number): boolean;
  release(bytes: number): void;
}

export function createBodyBudget(limit: number): BodyBudget {
  let held = 0;
  let peak = 0;
  return {
    limit,
    inFlight: () => held,
    peak: () => peak,
    reserve(bytes) {
      if (held + bytes > limit) return false;
      held += bytes;
      peak = Math.max(peak, held);
      return true;
    },
    release(bytes) {
      held = Math.max(0, held - bytes);
    },
  };
}

/** Reads a whole body up to `limit` bytes, for servers that face no one but the tests (the fake Argo CD). */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface ReadBodyOptions {
  /** Largest body this endpoint takes. */
  maxBytes: number;
  budget: BodyBudget;
  limits: Pick<IngressLimits, "bodyIdleTimeoutMs" | "minBodyBytesPerSecond" | "bodyRateGraceMs">;
  /** Sees every chunk as it arrives: the signature is computed while the body streams, not after. */
  onChunk?(chunk: Buffer): void;
  now?: () => number;
}

/**
 * Reads a request body within its budgets and hands it to `use`; the bytes stay reserved until
 * `use` settles. Refused before any byte is read when the declared length is over `maxBytes` or
 * the in-flight budget; cut off while streaming when it grows past either, stalls, or trickles.
 */
export async function withBody<T>(request: IncomingMessage, options: ReadBodyOptions, use: (body: Buffer) => Promise<T>): Promise<T> {
  const declared = Number(request.headers["content-length"]);
  const hasDeclared = request.headers["content-length"] !== undefined && Number.isFinite(declared);
  if (hasDeclared && declared > options.maxBytes) throw new BodyTooLargeError(options.maxBytes);
  const reservation = { bytes: 0 };
  if (hasDeclared) {
    if (!options.budget.reserve(declared)) throw new BodyBudgetExceededError(options.budget.limit);
    reservation.bytes = declared;
  }
  try {
    return await use(await streamBody(request, options, reservation));
  } finally {
    options.budget.release(reservation.bytes);
  }
}

function streamBody(request: IncomingMessage, options: ReadBodyOptions, reservation: { bytes: number }): Promise<Buffer> {
  const { budget, limits, maxBytes } = options;
  const now = options.now ?? Date.now;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const started = now();
    let received = 0;
    let lastChunkAt = started;
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      request.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error) {
        // Stop reading; the refusal is answered with `connection: close`, which ends the socket.
        request.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      lastChunkAt = now();
      if (received > maxBytes) return finish(new BodyTooLargeError(maxBytes));
      if (received > reservation.bytes) {
        if (!budget.reserve(received - reservation.bytes)) return finish(new BodyBudgetExceededError(budget.limit));
        reservation.bytes = received;
      }
      options.onChunk?.(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new RequestAbortedError("the client closed the connection before the body ended"));
    const onClose = () => finish(new RequestAbortedError("the client closed the connection before the body ended"));
    const watch = setInterval(() => {
      const at = now();
      if (at - lastChunkAt > limits.bodyIdleTimeoutMs) {
        return finish(new BodyTooSlowError(`no body bytes for ${limits.bodyIdleTimeoutMs} ms`));
      }
      const elapsed = at - started;
      if (elapsed > limits.bodyRateGraceMs && (received * 1000) / elapsed < limits.minBodyBytesPerSecond) {
        finish(new BodyTooSlowError(`body arriving slower than ${limits.minBodyBytesPerSecond} bytes/s`));
      }
    }, Math.max(25, Math.min(1_000, limits.bodyIdleTimeoutMs / 4, limits.bodyRateGraceMs / 2)));
    watch.unref();
    request.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

export interface BodyRefusal {
  status: number;
  /** What the log line and the answer say. */
  message: string;
  headers: Record<string, string>;
}

/**
 * The answer to a body that was not read whole; undefined for errors that are not about the body.
 * Every refusal closes the connection: the rest of that body is never read.
 */
export function describeBodyRefusal(error: unknown, retryAfterSeconds: number): BodyRefusal | undefined {
  const close = { connection: "close" };
  if (error instanceof BodyTooLargeError) return { status: 413, message: `payload too large (limit ${error.limit} bytes)`, headers: close };
  if (error instanceof BodyBudgetExceededError) return { status: 503, message: error.message, headers: { ...close, "retry-after": String(retryAfterSeconds) } };
  if (error instanceof BodyTooSlowError) return { status: 408, message: `request body too slow: ${error.message}`, headers: close };
  return undefined;
}
