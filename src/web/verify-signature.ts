import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE_SHAPE = /^sha256=[0-9a-f]{64}$/i;

/** Whether a header can be a GitHub signature at all (`sha256=` and 64 hex digits): anything else is refused unread. */
export function isSignatureShaped(header: string | undefined): header is string {
  return header !== undefined && SIGNATURE_SHAPE.test(header);
}

/** An HMAC-SHA256 fed chunk by chunk while the body streams, compared at the end in constant time. */
export interface StreamingSignature {
  update(chunk: Buffer): void;
  /** True when `header` (`sha256=<hex>`) is the HMAC of every chunk given. */
  matches(header: string): boolean;
}

export function createStreamingSignature(secret: string): StreamingSignature {
  const hmac = createHmac("sha256", secret);
  return {
    update: (chunk) => void hmac.update(chunk),
    matches(header) {
      if (!secret || !isSignatureShaped(header)) return false;
      const expected = Buffer.from(hmac.digest("hex"), "utf8");
      const given = Buffer.from(header.slice("sha256=".length).toLowerCase(), "utf8");
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/**
 * Checks GitHub's X-Hub-Signature-256 header (`sha256=<hex HMAC of the exact body>`) in constant
 * time. Any other shape (missing, sha1 only, wrong length) is a failure.
 */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!isSignatureShaped(header)) return false;
  const signature = createStreamingSignature(secret);
  signature.update(body);
  return signature.matches(header);
}

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
