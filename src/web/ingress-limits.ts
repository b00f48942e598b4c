/**
 * What the HTTP server accepts from the network before it knows who is talking. Every endpoint is
 * reachable by anyone who can reach the port, so each budget is sized for GitHub and registries
 * delivering honestly and refuses what only an attacker would send (README: HTTP endpoints).
 */
export interface IngressLimits {
  /** Sockets open at once; further connections are dropped at accept (node's `server.maxConnections`). */
  maxConnections: number;
  /** Time to receive a request's headers (node's `server.headersTimeout`): a slow-headers client is cut off. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body (node's `server.requestTimeout`). */
  requestTimeoutMs: number;
  /** How often node looks for connections past those two timeouts. */
  connectionsCheckingIntervalMs: number;
  /** Longest pause between two chunks of a body. */
  bodyIdleTimeoutMs: number;
  /** Slowest average a body may arrive at, once `bodyRateGraceMs` have passed. */
  minBodyBytesPerSecond: number;
  bodyRateGraceMs: number;
  /** Body bytes all requests together may hold in memory; past it new bodies get 503 unread. */
  maxBodyBytesInFlight: number;
  /** Retry-After of that 503. */
  retryAfterSeconds: number;
}

/**
 * GitHub gives a delivery 10 s and sends at most 25 MB, with Content-Length; registries send a few
 * KB. Two largest deliveries fit in the in-flight budget at once; a body that needs more than
 * 30 s, stalls 5 s, or averages under 16 KiB/s after 2 s is not a delivery GitHub would still wait for.
 */
export const DEFAULT_INGRESS_LIMITS: Readonly<IngressLimits> = {
  maxConnections: 512,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 1_000,
  bodyIdleTimeoutMs: 5_000,
  minBodyBytesPerSecond: 16 * 1024,
  bodyRateGraceMs: 2_000,
  maxBodyBytesInFlight: 64 * 1024 * 1024,
  retryAfterSeconds: 5,
};

export function resolveIngressLimits(overrides: Partial<IngressLimits> = {}): IngressLimits {
  return { ...DEFAULT_INGRESS_LIMITS, ...overrides };
}
