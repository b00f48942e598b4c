/** One image push a registry told us about. */
export interface RegistryPush {
  /** `host/path` of the image repository (Docker Hub: `docker.io/<namespace>/<name>`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** What a receiver sees before it reads a body: headers, and a token from the URL path. */
export interface ReceiverRequest {
  headers: Record<string, string | string[] | undefined>;
  /** `/api/registry-webhooks/<provider>/<token>`: for registries that cannot sign or send headers. */
  pathToken?: string;
}

/** A body that is JSON but not the provider's shape: answered 400 with the message. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/**
 * One notification names at most this many pushes: a push of a few tags, or Distribution's batched
 * envelope, stays far below; a list of thousands is refused rather than fanned out.
 */
export const MAX_PUSHES_PER_NOTIFICATION = 100;

/**
 * How a registry proves it knows the receiver's secret. A request that carries the secret before
 * its body (a header or the URL path) has its body read; one that only signs its body has the
 * signature computed while the body streams; one that does neither is refused unread.
 */
export interface RegistryWebhookProvider {
  /** How to configure the registry, shown in a 401 answer (never the secret itself). */
  authentication: string;
  /** True when the request carries the secret in a header or the URL path token. */
  carriesSecret?(request: ReceiverRequest, secret: string): boolean;
  /** Where a registry that signs puts the HMAC-SHA256 of the body: the header, and what precedes the hex. */
  signature?: { header: string; prefix: string };
  /** The pushes in a payload; other events (deletes, pulls, scans) give none. */
  parse(payload: unknown): RegistryPush[];
  /** The registry's own ID for the delivery, when it sends one (redeliveries carry the same). */
  deliveryId?(payload: unknown): string | undefined;
}
