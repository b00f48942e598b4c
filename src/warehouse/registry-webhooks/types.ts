/** One image push a registry told us about. */
export interface RegistryPush {
  /** `host/path` of the image repository (Docker Hub: `docker.io/<namespace>/<name>`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** What a receiver sees of a request: the exact body bytes, headers, and a token from the URL path. */
export interface ReceiverRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** `/api/registry-webhooks/<provider>/<token>`: for registries that cannot sign or send headers. */
  pathToken?: string;
}

/** A body that is JSON but not the provider's shape: answered 400 with the message. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

export interface RegistryWebhookProvider {
  /** How to configure the registry, shown in a 401 answer (never the secret itself). */
  authentication: string;
  /** True when the request carries the receiver's secret in the way this registry can send it. */
  authenticate(request: ReceiverRequest, secret: string): boolean;
  /** The pushes in a payload; other events (deletes, pulls, scans) give none. */
  parse(payload: unknown): RegistryPush[];
  /** The registry's own ID for the delivery, when it sends one (redeliveries carry the same). */
  deliveryId?(payload: unknown): string | undefined;
}
