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

/**
 * The Authorization header is the secret itself, or `Bearer <secret>` / `Token <secret>`: Harbor,
 * ACR and Distribution send the header exactly as it was configured, so either form works. `Basic`
 * is not accepted: a Basic credential is base64 of user:password, not a bare secret.
 */
export function authorizationCarries(request: ReceiverRequest, secret: string): boolean {
  const value = header(request, "authorization")?.trim();
  if (!value) return false;
  const bare = value.replace(/^(bearer|token)\s+/i, "");
  return secretsEqual(value, secret) || secretsEqual(bare, secret);
}

/** An HMAC-SHA256 of the body fed while it streams; `matches` compares hex (after `prefix`) in constant time. */
export interface BodySignature {
  update(chunk: Buffer): void;
  matches(given: string): boolean;
}

export function createBodySignature(secret: string, prefix: string): BodySignature {
  const hmac = createHmac("sha256", secret);
  return {
    update: (chunk) => void hmac.update(chunk),
    matches: (given) => secretsEqual(given.trim().toLowerCase(), prefix + hmac.digest("hex")),
  };
}
