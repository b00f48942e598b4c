import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { ReceiverRequest } from "./types.js";

/** Constant-time equality of two secrets (compared as SHA-256 digests, so lengths do not leak). */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());
}

export function header(request: ReceiverRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The Authorization header is the secret itself, or `Bearer <secret>` / `Basic <secret>` as registries let users type it. */
export function authorizationCarries(request: ReceiverRequest, secret: string): boolean {
  const value = header(request, "authorization")?.trim();
  if (!value) return false;
  const bare = value.replace(/^(bearer|token)\s+/i, "");
  return secretsEqual(value, secret) || secretsEqual(bare, secret);
}

/** An HMAC-SHA256 of the exact body, hex, optionally prefixed (`sha256=` for GitHub-style signatures). */
export function hmacMatches(signature: string | undefined, body: Buffer, secret: string, prefix = ""): boolean {
  if (!signature) return false;
  const expected = prefix + createHmac("sha256", secret).update(body).digest("hex");
  return secretsEqual(signature.trim().toLowerCase(), expected);
}
